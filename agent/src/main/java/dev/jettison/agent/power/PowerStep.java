package dev.jettison.agent.power;

import java.time.Duration;

/**
 * One step of the desktop's power-over-time curve, like Figure 8 (§5.2): from {@code at} after the
 * meter started, the desktop was in {@code state}, drawing {@code watts}, until the next step.
 */
public record PowerStep(Duration at, PowerState state, double watts) {
}
