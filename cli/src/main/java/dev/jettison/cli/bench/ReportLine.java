package dev.jettison.cli.bench;

import dev.jettison.migration.partial.MigrationReport;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.StringJoiner;

/** One MigrationReport as one stdout line ({@code BENCH-REPORT name=value ...}) between benchmark processes. */
final class ReportLine {
    static final String PREFIX = "BENCH-REPORT ";

    private ReportLine() {}

    static String format(MigrationReport r) {
        var j = new StringJoiner(" ", PREFIX, "");
        try {
            for (RecordComponent c : MigrationReport.class.getRecordComponents()) {
                j.add(c.getName() + "=" + c.getAccessor().invoke(r));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return j.toString();
    }

    static MigrationReport parse(String line) {
        if (!line.startsWith(PREFIX)) throw new IllegalArgumentException("not a report line: " + line);
        var values = new HashMap<String, String>();
        for (String kv : line.substring(PREFIX.length()).trim().split(" ")) {
            int eq = kv.indexOf('=');
            if (eq > 0) values.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        var comps = MigrationReport.class.getRecordComponents();
        var types = new Class<?>[comps.length];
        var args = new Object[comps.length];
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            String v = values.get(comps[i].getName());
            if (v == null) throw new IllegalArgumentException("report line lacks " + comps[i].getName() + ": " + line);
            args[i] = types[i] == long.class ? Long.parseLong(v) : types[i] == double.class ? Double.parseDouble(v) : v;
        }
        try {
            return MigrationReport.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
