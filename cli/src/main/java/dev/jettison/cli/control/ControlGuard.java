package dev.jettison.cli.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every request to the desktop's local control API must show before anything runs:
 * <ol>
 *   <li>a Host header naming this API by IP literal or {@code localhost} with its port, so a web
 *       page that rebinds its own DNS name to 127.0.0.1 is refused (403);</li>
 *   <li>no cross-origin marks: an Origin header other than this API's own, or a
 *       {@code Sec-Fetch-Site} other than same-origin or none, is refused (403);</li>
 *   <li>the token from the 0600 file ({@link ControlToken}) as "Authorization: Bearer ..." (403);</li>
 *   <li>the method: POST for actions, GET for views (405).</li>
 * </ol>
 * Pure, so it can be fed hostile headers by the thousand in tests.
 */
public final class ControlGuard {
    /** Why a request is refused: its HTTP status and a reason for the reply body. */
    public record Refusal(int status, String reason) {}

    private final byte[] token;
    private final int port;

    public ControlGuard(String token, int port) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.port = port;
    }

    /**
     * @param headers header names in any case, each with its values (as the JDK's HTTP server gives them)
     * @param action  whether the path changes anything (POST only) or only shows state (GET only)
     */
    public Optional<Refusal> check(String method, Map<String, List<String>> headers, boolean action) {
        String host = single(headers, "Host");
        if (host == null || !ownHost(host)) return refuse(403, "the Host header must name this control API (IP or localhost, port " + port + ")");
        String origin = single(headers, "Origin");
        if (origin != null && !origin.equals("http://" + host)) return refuse(403, "cross-origin requests are refused");
        if (count(headers, "Origin") > 1) return refuse(403, "cross-origin requests are refused");
        String site = single(headers, "Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) return refuse(403, "cross-origin requests are refused");
        String auth = single(headers, ControlToken.HEADER);
        if (auth == null || count(headers, ControlToken.HEADER) != 1 || !auth.startsWith(ControlToken.SCHEME)
                || !MessageDigest.isEqual(token, auth.substring(ControlToken.SCHEME.length()).strip().getBytes(StandardCharsets.US_ASCII))) {
            return refuse(403, "a valid control token is required (" + ControlToken.HEADER + ": " + ControlToken.SCHEME
                    + "<the daemon's " + ControlToken.FILE + ">)");
        }
        String wanted = action ? "POST" : "GET";
        if (!wanted.equals(method)) return refuse(405, "this path takes " + wanted + " only");
        return Optional.empty();
    }

    /** "127.0.0.1:7700", "[::1]:7700" or "localhost:7700": an IP literal or localhost, and our port. */
    boolean ownHost(String host) {
        int colon = host.lastIndexOf(':');
        if (colon <= 0 || !host.substring(colon + 1).equals(Integer.toString(port))) return false;
        String name = host.substring(0, colon);
        if (name.equalsIgnoreCase("localhost")) return true;
        if (name.startsWith("[") && name.endsWith("]")) return name.length() > 2 && name.substring(1, name.length() - 1).matches("[0-9a-fA-F:.]+");
        return name.matches("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    }

    private static Optional<Refusal> refuse(int status, String why) {
        return Optional.of(new Refusal(status, why));
    }

    private static String single(Map<String, List<String>> headers, String name) {
        for (var e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) return e.getValue().getFirst();
        }
        return null;
    }

    private static int count(Map<String, List<String>> headers, String name) {
        int n = 0;
        for (var e : headers.entrySet()) if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) n += e.getValue().size();
        return n;
    }
}
