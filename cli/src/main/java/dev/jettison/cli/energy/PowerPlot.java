package dev.jettison.cli.energy;

import dev.jettison.agent.power.EnergyReport;
import dev.jettison.agent.power.PowerStep;
import dev.jettison.sim.plot.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The desktop's power over one consolidation, like the paper's Figure 8 (§5.2): the step curve of
 * its draw, the idle draw it would have had without Jettison, and the running mean that falls as
 * microsleeps accumulate.
 */
public final class PowerPlot {
    private PowerPlot() {}

    public static void write(EnergyReport e, double idleWatts, String title, Path png) throws IOException {
        List<Double> x = new ArrayList<>(), y = new ArrayList<>(), mx = new ArrayList<>(), my = new ArrayList<>();
        var steps = e.series();
        double joules = 0;
        for (int i = 0; i < steps.size(); i++) {
            PowerStep s = steps.get(i);
            double from = s.at().toNanos() / 1e9;
            double to = (i + 1 < steps.size() ? steps.get(i + 1).at() : e.wall()).toNanos() / 1e9;
            x.add(from / 60);
            y.add(s.watts());
            x.add(to / 60);
            y.add(s.watts());
            joules += s.watts() * (to - from);
            if (to > 0) {
                mx.add(to / 60);
                my.add(joules / to);
            }
        }
        double end = e.wall().toNanos() / 60e9;
        var spec = new Charts.Spec(title, "time since consolidation (min)", "desktop power (W)")
                .add("desktop", Charts.toArray(x), Charts.toArray(y))
                .add("idle, without Jettison", new double[] {0, end}, new double[] {idleWatts, idleWatts})
                .add("mean so far", Charts.toArray(mx), Charts.toArray(my))
                .subtitle(String.format(Locale.ROOT, "%d microsleeps, mean %.1f W vs %.1f W idle: %.1f %% saved",
                        e.microsleeps(), e.averageWatts(), idleWatts, e.savingPercent()));
        Charts.write(spec, png);
    }
}
