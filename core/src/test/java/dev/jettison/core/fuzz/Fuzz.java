package dev.jettison.core.fuzz;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

import java.lang.reflect.RecordComponent;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Runs a property over generated hostile inputs, in JUnit dynamic tests of {@link #SLICE} tries
 * each, and reports each failing try with what is needed to replay it: the run's seed, the try's
 * number and the input. Each try draws from its own {@link Gen}, seeded from the run's seed, the
 * property's name and the try's number, so one try replays without the ones before it. (One
 * dynamic test per try reported as well but not at long-run scale: 600,000 of them made Maven's
 * reporter grow past 4 GB.)
 *
 * <p>System properties: {@code fuzz.tries} (default 400: a short slice in every build; raise it for
 * a long run), {@code fuzz.seed} (default random, new each run), {@code fuzz.try} (run that try
 * only). There is no shrinking: a failing input is shown as generated, and once understood it
 * becomes an explicit regression test.
 */
public final class Fuzz {
    public static final int TRIES = intProperty("fuzz.tries", 400, 1);
    public static final long SEED = seed();
    /** Tries per dynamic test. */
    public static final int SLICE = 100;
    private static final int SHOWN_BYTES = 128, SHOWN_CHARS = 2000, SHOWN_FAILURES = 4;

    private Fuzz() {}

    /** {@link #TRIES} tries of {@code check} on inputs made by {@code generate}. */
    public static <T> Stream<DynamicTest> property(String name, Function<Gen, T> generate, ThrowingConsumer<T> check) {
        if (System.getProperty("fuzz.try") != null) {
            int only = intProperty("fuzz.try", 1, 1);
            return Stream.of(DynamicTest.dynamicTest("try " + only, () -> runSlice(name, only, only, generate, check)));
        }
        return IntStream.iterate(1, first -> first <= TRIES, first -> first + SLICE).mapToObj(first -> {
            int last = Math.min(TRIES, first + SLICE - 1);
            return DynamicTest.dynamicTest("tries " + first + "-" + last, () -> runSlice(name, first, last, generate, check));
        });
    }

    /** Runs every try of the slice; fails with the first failing one, the next few attached as suppressed. */
    private static <T> void runSlice(String name, int first, int last, Function<Gen, T> generate, ThrowingConsumer<T> check) {
        AssertionError failed = null;
        int failures = 0;
        for (int i = first; i <= last; i++) {
            T input = null;
            try {
                input = generate.apply(new Gen(trySeed(name, i)));
                check.accept(input);
            } catch (Throwable t) {
                var e = new AssertionError(name + " failed at try " + i + " with seed " + SEED
                        + " (replay: -Dfuzz.seed=" + SEED + " -Dfuzz.try=" + i + ")\n  input: "
                        + (input == null ? "(none: the generator failed)" : describe(input)) + "\n  failure: " + t, t);
                if (failed == null) failed = e;
                else if (failures <= SHOWN_FAILURES) failed.addSuppressed(e);
                failures++;
            }
        }
        if (failed == null) return;
        if (failures > 1) failed.addSuppressed(new AssertionError(failures + " of the " + (last - first + 1)
                + " tries " + first + "-" + last + " failed"));
        throw failed;
    }

    /** Independent streams per property and try: a changed property leaves the others' inputs alone. */
    static long trySeed(String name, int i) {
        long z = SEED ^ (long) name.hashCode() << 32 ^ i * 0x9E3779B97F4A7C15L;
        z = (z ^ z >>> 30) * 0xBF58476D1CE4E5B9L;   // SplitMix64's finalizer
        z = (z ^ z >>> 27) * 0x94D049BB133111EBL;
        return z ^ z >>> 31;
    }

    /** An input as a failure message shows it: bytes in hex, strings escaped, both cut short. */
    public static String describe(Object input) {
        return switch (input) {
            case null -> "null";
            case byte[] b -> b.length + " bytes: " + HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(b.length, SHOWN_BYTES))
                    + (b.length > SHOWN_BYTES ? " ..." : "");
            case String s -> s.length() + " chars: \"" + escape(s) + "\"";
            case Collection<?> c -> c.stream().map(Fuzz::describe).toList().toString();
            case Map<?, ?> m -> m.entrySet().stream().map(e -> describe(e.getKey()) + "=" + describe(e.getValue())).toList().toString();
            case Record r -> describeRecord(r);
            default -> cut(String.valueOf(input));
        };
    }

    /** A record's components, each described: a record of byte arrays would otherwise print as [B@1b6d. */
    private static String describeRecord(Record r) {
        var parts = new StringBuilder(r.getClass().getSimpleName()).append('[');
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                parts.append(parts.charAt(parts.length() - 1) == '[' ? "" : ", ")
                        .append(c.getName()).append('=').append(describe(c.getAccessor().invoke(r)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return cut(r.toString());
            }
        }
        return parts.append(']').toString();
    }

    private static String escape(String s) {
        var sb = new StringBuilder();
        for (int k = 0; k < Math.min(s.length(), SHOWN_CHARS); k++) {
            char c = s.charAt(k);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') sb.append(c);
            else sb.append(String.format("\\u%04x", (int) c));
        }
        return s.length() > SHOWN_CHARS ? sb + "..." : sb.toString();
    }

    private static String cut(String s) {
        return s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "..." : s;
    }

    private static long seed() {
        String s = System.getProperty("fuzz.seed");
        if (s == null || s.isBlank()) return new SecureRandom().nextLong();
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-Dfuzz.seed=" + s + ": not a decimal long (the seed a failure printed)", e);
        }
    }

    private static int intProperty(String key, int fallback, int min) {
        String s = System.getProperty(key);
        if (s == null || s.isBlank()) return fallback;
        try {
            int v = Integer.parseInt(s.strip());
            if (v >= min) return v;
        } catch (NumberFormatException e) {
            // refused below, with the key named
        }
        throw new IllegalArgumentException("-D" + key + "=" + s + ": not an int of at least " + min);
    }
}
