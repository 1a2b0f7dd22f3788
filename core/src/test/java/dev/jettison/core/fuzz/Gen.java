package dev.jettison.core.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Hostile input from one seed: random values, byte arrays and strings, and mutations of a valid
 * input. Sizes lean towards the edges (empty, the maximum), where parsers break most often.
 * Mutations return a new array and leave their argument alone. A copy of this class lives in
 * each module that fuzzes (vmm, migration, cli): they share no test code.
 */
public final class Gen {
    private final SplittableRandom r;

    public Gen(long seed) {
        r = new SplittableRandom(seed);
    }

    public int nextInt(int bound) {
        return r.nextInt(bound);
    }

    /** Any int, negative ones and both ends included. */
    public int anyInt() {
        return r.nextInt();
    }

    public boolean nextBoolean() {
        return r.nextBoolean();
    }

    @SafeVarargs
    public final <T> T pick(T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    public <T> T pick(List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    public <E extends Enum<E>> E pick(Class<E> type) {
        return pick(type.getEnumConstants());
    }

    /** A size in [0, max], 0 and max each an eighth of the time. */
    public int size(int max) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> max;
            default -> r.nextInt(max + 1);
        };
    }

    public <T> List<T> list(int maxSize, Supplier<T> element) {
        int n = size(maxSize);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(element.get());
        return out;
    }

    /** Random bytes, at most {@code maxLength} of them. */
    public byte[] bytes(int maxLength) {
        byte[] b = new byte[size(maxLength)];
        r.nextBytes(b);
        return b;
    }

    /**
     * A string of at most {@code maxLength} chars drawn from ASCII, control characters, Latin-1,
     * the rest of the BMP, supplementary characters and lone surrogates.
     */
    public String string(int maxLength) {
        int n = size(maxLength);
        var sb = new StringBuilder(n);
        while (sb.length() < n) {
            switch (r.nextInt(8)) {
                case 0 -> sb.append((char) r.nextInt(0x20));                          // control: NUL, CR, LF, TAB
                case 1 -> sb.append((char) (0x80 + r.nextInt(0x80)));                 // Latin-1: é and friends
                case 2 -> {                                                           // rest of the BMP, U+FFFF too
                    int c = 0x100 + r.nextInt(0x10000 - 0x100 - 0x800);
                    sb.append((char) (c < 0xD800 ? c : c + 0x800));
                }
                case 3 -> {
                    if (sb.length() + 2 <= n) sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // needs a pair
                    else sb.append((char) (0xD800 + r.nextInt(0x800)));               // a lone surrogate
                }
                default -> sb.append((char) (0x20 + r.nextInt(0x5F)));                // printable ASCII
            }
        }
        return sb.toString();
    }

    /** Changes 1 to {@code maxCount} bytes in [from, to) to random values (maybe the same ones). */
    public byte[] setBytes(byte[] valid, int from, int to, int maxCount) {
        byte[] b = valid.clone();
        for (int k = 1 + r.nextInt(maxCount); k > 0; k--) b[from + r.nextInt(to - from)] = (byte) r.nextInt();
        return b;
    }

    /** Changes 1 to {@code maxCount} bytes to ones of {@code alphabet} (e.g. digits and separators). */
    public byte[] setBytesFrom(byte[] valid, byte[] alphabet, int maxCount) {
        byte[] b = valid.clone();
        for (int k = 1 + r.nextInt(maxCount); k > 0; k--) b[r.nextInt(b.length)] = alphabet[r.nextInt(alphabet.length)];
        return b;
    }

    /** One byte surely changed: XORed with a non-zero value. */
    public byte[] xorByte(byte[] valid) {
        byte[] b = valid.clone();
        b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
        return b;
    }

    /** 1 to {@code maxCount} single bits flipped. */
    public byte[] flipBits(byte[] valid, int maxCount) {
        byte[] b = valid.clone();
        for (int k = 1 + r.nextInt(maxCount); k > 0; k--) {
            int bit = r.nextInt(b.length * 8);
            b[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return b;
    }

    /** A strict prefix: cut anywhere, down to nothing. */
    public byte[] truncate(byte[] valid) {
        return Arrays.copyOf(valid, r.nextInt(valid.length));
    }

    /** 1 to {@code maxExtra} zero bytes appended. */
    public byte[] extend(byte[] valid, int maxExtra) {
        return Arrays.copyOf(valid, valid.length + 1 + r.nextInt(maxExtra));
    }

    /** {@code insert} put in at a random place. */
    public byte[] splice(byte[] valid, byte[] insert) {
        int at = r.nextInt(valid.length + 1);
        byte[] out = new byte[valid.length + insert.length];
        System.arraycopy(valid, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(valid, at, out, at + insert.length, valid.length - at);
        return out;
    }

    /** A length or count as a liar writes it: near Integer.MAX_VALUE, slightly negative, or in [0, plausible). */
    public int corruptLength(int plausible) {
        return switch (r.nextInt(3)) {
            case 0 -> Integer.MAX_VALUE - r.nextInt(8);
            case 1 -> -1 - r.nextInt(8);
            default -> r.nextInt(plausible);
        };
    }

    /** {@code valid} with the 32-bit field at {@code offset} set to {@code value}. */
    public static byte[] putInt(byte[] valid, int offset, int value, ByteOrder order) {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).order(order).putInt(offset, value);
        return b;
    }
}
