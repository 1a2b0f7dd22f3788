package dev.jettison.cli.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The query parameters of a control API request, decoded by the JDK's URL decoder. */
public final class ControlQuery {
    private ControlQuery() {}

    /**
     * The first value of {@code key} in the raw (still %-encoded) query, or null if absent;
     * IllegalArgumentException, saying which parameter, for an encoding that does not decode.
     */
    public static String param(String rawQuery, String key) {
        if (rawQuery == null) return null;
        for (String kv : rawQuery.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(key)) {
                try {
                    return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("?" + key + "= is not URL-encoded text: " + e.getMessage(), e);
                }
            }
        }
        return null;
    }
}
