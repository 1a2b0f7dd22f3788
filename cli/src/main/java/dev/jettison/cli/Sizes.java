package dev.jettison.cli;

/** Parses sizes like 512M, 4G, 1.5G, 65536 (bytes) into bytes. */
public final class Sizes {
    private Sizes() {}

    public static long parse(String text) {
        String t = text.strip().toUpperCase();
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> { }
            }
        }
        if (unit != 1) t = t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(t);
            if (v < 0 || Double.isNaN(v)) throw new NumberFormatException();
            return Math.round(v * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size (examples: 512M, 4G, 1048576)");
        }
    }
}
