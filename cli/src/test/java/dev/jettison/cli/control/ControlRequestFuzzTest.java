package dev.jettison.cli.control;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control API's request checks and query parsing against hostile requests: headers in any
 * case, repeated, empty, with the token nearly right, foreign hosts and origins, odd methods; raw
 * queries with broken %-escapes. The guard never throws, and lets a request through only when it
 * carries exactly the token, a Host of ours, no foreign origin and the right method; the query
 * parser returns a value or refuses with IllegalArgumentException.
 */
class ControlRequestFuzzTest {
    static final String TOKEN = "0123456789abcdef".repeat(4);
    static final int PORT = 7700;
    static final ControlGuard GUARD = new ControlGuard(TOKEN, PORT);

    record Request(String method, Map<String, List<String>> headers, boolean action) {}

    @Provide
    Arbitrary<Request> requests() {
        var names = Arbitraries.of("Host", "host", "HOST", "Origin", "origin", "Authorization", "authorization",
                "Sec-Fetch-Site", "X-Other", "");
        var values = Arbitraries.oneOf(
                Arbitraries.of("127.0.0.1:7700", "localhost:7700", "[::1]:7700", "evil.example:7700", "127.0.0.1:7701",
                        "127.0.0.1", ":7700", "[]:7700", "http://127.0.0.1:7700", "http://evil.example", "null",
                        "same-origin", "cross-site", "none", "Bearer " + TOKEN, "Bearer  " + TOKEN, "bearer " + TOKEN,
                        "Bearer " + TOKEN.substring(1), "Bearer " + TOKEN + "0", "Bearer ", "", " "),
                Arbitraries.strings().ofMaxLength(80));
        var header = Combinators.combine(names, values.list().ofMinSize(0).ofMaxSize(3)).as(Map::entry);
        var methods = Arbitraries.of("GET", "POST", "PUT", "OPTIONS", "HEAD", "post", "");
        return Combinators.combine(methods, header.list().ofMaxSize(6), Arbitraries.of(true, false)).as((m, hs, a) -> {
            Map<String, List<String>> map = new LinkedHashMap<>();
            for (var h : hs) map.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).addAll(h.getValue());
            return new Request(m, map, a);
        });
    }

    @Property
    void theGuardNeverThrowsAndAdmitsOnlyTheRightRequest(@ForAll("requests") Request r) {
        var verdict = assertDoesNotThrow(() -> GUARD.check(r.method(), r.headers(), r.action()));
        if (verdict.isPresent()) {
            assertTrue(verdict.get().status() == 403 || verdict.get().status() == 405, verdict.toString());
            return;
        }
        assertEquals(List.of("Bearer " + TOKEN), values(r.headers(), "Authorization"), "admitted only with exactly the token");
        assertEquals(r.action() ? "POST" : "GET", r.method());
        String host = values(r.headers(), "Host").getFirst();
        assertTrue(host.endsWith(":" + PORT), host);
        for (String o : values(r.headers(), "Origin")) assertEquals("http://" + host, o);
    }

    static List<String> values(Map<String, List<String>> headers, String name) {
        List<String> out = new ArrayList<>();
        headers.forEach((k, v) -> { if (k.equalsIgnoreCase(name)) out.addAll(v); });
        return out;
    }

    @Provide
    Arbitrary<String> rawQueries() {
        var parts = Arbitraries.oneOf(Arbitraries.of("line=", "server=", "line", "=", "&", "%", "%2", "%zz", "%41", "+", "%E9",
                "%C3%A9", "verify", "127.0.0.1:7800"), Arbitraries.strings().ofMaxLength(20));
        return parts.list().ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property
    void queryParsingReturnsOrRefuses(@ForAll("rawQueries") String raw) {
        try {
            String line = ControlQuery.param(raw, "line");
            if (line != null) ControlQuery.param(raw, "server");
        } catch (IllegalArgumentException refused) {
            assertTrue(refused.getMessage().startsWith("?"), refused.getMessage());
        }
    }

    @Example
    void regressions() {
        assertEquals("a b", ControlQuery.param("line=a+b", "line"));
        assertEquals(null, ControlQuery.param("=x&line", "line"));
        assertTrue(GUARD.check("POST", Map.of("Host", List.of("127.0.0.1:7700"), "Authorization", List.of("Bearer " + TOKEN)), true).isEmpty());
        assertEquals(403, GUARD.check("POST", Map.of("Host", List.of("[]:7700"), "Authorization", List.of("Bearer " + TOKEN)), true)
                .orElseThrow().status());
    }
}
