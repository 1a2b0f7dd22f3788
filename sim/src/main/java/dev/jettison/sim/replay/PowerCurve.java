package dev.jettison.sim.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.jettison.sim.trace.TraceFormatException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A desktop's measured power curve while its VM was away: the CSV the desktop serves at
 * {@code GET /energy} (agent's EnergyReport.seriesCsv, "seconds,watts,state", each step drawn as two
 * rows). Energy is the exact integral of the steps.
 */
public record PowerCurve(List<Point> points) {
    public static final Set<String> STATES = Set.of("AWAKE", "SUSPENDING", "ASLEEP", "RESUMING");

    public record Point(double seconds, double watts, String state) {
    }

    public PowerCurve {
        points = List.copyOf(points);
        if (points.size() < 2) throw new IllegalArgumentException("a power curve needs at least two rows");
    }

    public static PowerCurve read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r, file.toString());
        }
    }

    public static PowerCurve read(Reader in, String name) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withStrictHeaders(true)
                .withColumnsFrom(CsvSchema.builder().addColumn("seconds").addColumn("watts").addColumn("state").build());
        List<Point> pts = new ArrayList<>();
        try (MappingIterator<Point> it = new CsvMapper().readerFor(Point.class).with(schema).readValues(in)) {
            while (it.hasNextValue()) {
                // The row's own line: taken before reading it, as afterwards the parser is past its line feed.
                int line = it.getCurrentLocation().getLineNr();
                Point p = it.nextValue();
                if (!STATES.contains(p.state())) throw new TraceFormatException(name, line, "unknown state '" + p.state() + "' (expected one of " + STATES + ")");
                if (!(p.watts() >= 0)) throw new TraceFormatException(name, line, "watts must be >= 0, found " + p.watts());
                if (!pts.isEmpty() && p.seconds() < pts.getLast().seconds()) {
                    throw new TraceFormatException(name, line, "seconds go backwards: " + p.seconds() + " after " + pts.getLast().seconds());
                }
                pts.add(p);
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new TraceFormatException(name, line, "not a power curve (seconds,watts,state): " + e.getOriginalMessage());
        } catch (RuntimeJsonMappingException e) {
            throw new TraceFormatException(name, 0, "not a power curve (seconds,watts,state): " + e.getMessage());
        }
        if (pts.size() < 2) throw new TraceFormatException(name, pts.size() + 1, "a power curve needs at least two rows");
        return new PowerCurve(pts);
    }

    public double wallSeconds() {
        return points.getLast().seconds() - points.getFirst().seconds();
    }

    /** The integral of power over time; steps are two rows of equal watts, so the trapezoids are exact. */
    public double joules() {
        double j = 0;
        for (int i = 1; i < points.size(); i++) {
            Point a = points.get(i - 1);
            Point b = points.get(i);
            j += (b.seconds() - a.seconds()) * (a.watts() + b.watts()) / 2;
        }
        return j;
    }

    public double secondsIn(String state) {
        double s = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i - 1).state().equals(state) && points.get(i).state().equals(state)) s += points.get(i).seconds() - points.get(i - 1).seconds();
        }
        return s;
    }

    /** Entries into S3: each is one microsleep. */
    public int microsleeps() {
        int n = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).state().equals("ASLEEP") && !points.get(i - 1).state().equals("ASLEEP")) n++;
        }
        return n;
    }

    /** Saving against staying idle at {@code idleWatts} for the same wall time (Figure 7's measure, §5.2). */
    public double savingFraction(double idleWatts) {
        return 1 - joules() / (idleWatts * wallSeconds());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "power curve %.0f s, %.0f J, %d microsleeps", wallSeconds(), joules(), microsleeps());
    }
}
