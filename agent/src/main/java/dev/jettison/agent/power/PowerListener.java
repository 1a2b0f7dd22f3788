package dev.jettison.agent.power;

/** Told of every power state change, in order, on the power manager's cycle thread; must return quickly. */
@FunctionalInterface
public interface PowerListener {
    void onTransition(PowerState from, PowerState to);
}
