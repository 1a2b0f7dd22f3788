package dev.jettison.migration.wire;

import dev.jettison.migration.wire.Message.Ack;
import dev.jettison.migration.wire.Message.BlockData;
import dev.jettison.migration.wire.Message.BlockRequest;
import dev.jettison.migration.wire.Message.Bye;
import dev.jettison.migration.wire.Message.Chunk;
import dev.jettison.migration.wire.Message.Descriptor;
import dev.jettison.migration.wire.Message.DirtyBlocks;
import dev.jettison.migration.wire.Message.DirtyPages;
import dev.jettison.migration.wire.Message.Hello;
import dev.jettison.migration.wire.Message.PageData;
import dev.jettison.migration.wire.Message.PageRequest;
import dev.jettison.migration.wire.Message.ReintegrateDone;
import dev.jettison.migration.wire.Message.ReintegrateRequest;
import dev.jettison.migration.wire.ProtocolException.Kind;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Frames and unframes {@link Message}s (docs/wire-protocol.md). Immutable, so one instance per
 * connection state can be shared by a reader and writers.
 *
 * <p>Decoding believes nothing: the header is checked before the payload is allocated (so no
 * length on the wire can allocate more than {@link Limits#maxPayloadBytes()}), the checksum
 * before the payload is parsed, and every count, page and block number before a message is
 * built. Any bad input ends in a {@link ProtocolException} naming what was wrong.
 */
public final class Codec {
    static final int T_HELLO = 1, T_DESCRIPTOR = 2, T_PAGE_REQUEST = 3, T_PAGE_DATA = 4, T_BLOCK_REQUEST = 5,
            T_BLOCK_DATA = 6, T_DIRTY_PAGES = 7, T_DIRTY_BLOCKS = 8, T_REINTEGRATE_REQUEST = 9,
            T_REINTEGRATE_DONE = 10, T_ACK = 11, T_ERROR = 12, T_BYE = 13, T_ENDPOINTS = 14, T_SERVER_STATS = 15,
            T_MICROSLEEP = 16, T_ATTACH = 17, T_RELEASE = 18, T_PING = 19, T_PONG = 20, T_GO_HOME = 21;
    private static final int MAX_TYPE = T_GO_HOME;
    private static final int FLAG_ZERO = 1;
    /** First allocation for a frame's payload; it doubles as more bytes arrive. */
    private static final int GROWTH_STEP = 64 * 1024;
    /** Bytes of a dirty-batch entry header: number u64 + flags u8. */
    private static final int CHUNK_HEADER = 9;

    private final Limits limits;

    public Codec(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() { return limits; }

    public Codec withLimits(Limits l) { return new Codec(l); }

    /** Most 4 KiB entries with data that fit one DirtyPages/DirtyBlocks frame under these limits. */
    public int maxChunksPerFrame() {
        return (limits.maxPayloadBytes() - 4) / (CHUNK_HEADER + Wire.PAGE_SIZE);
    }

    // ---------------------------------------------------------------- encoding

    /** The whole frame for {@code m}. Throws IllegalArgumentException if it would exceed the payload limit. */
    public byte[] encode(Message m) {
        int len = payloadLength(m);
        if (len > limits.maxPayloadBytes()) {
            throw new IllegalArgumentException(m.getClass().getSimpleName() + " payload of " + len
                    + " bytes exceeds the frame limit of " + limits.maxPayloadBytes() + "; split it");
        }
        byte[] frame = new byte[Wire.HEADER_BYTES + len + Wire.TRAILER_BYTES];
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.putInt(Wire.MAGIC).put((byte) Wire.VERSION).put((byte) typeOf(m)).putShort((short) 0).putInt(len);
        writePayload(m, b);
        if (b.position() != Wire.HEADER_BYTES + len) throw new IllegalStateException("payload size mismatch for " + m);
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, Wire.HEADER_BYTES + len);
        b.putInt((int) crc.getValue());
        return frame;
    }

    public void write(Message m, OutputStream out) throws IOException {
        out.write(encode(m));
    }

    private static int typeOf(Message m) {
        return switch (m) {
            case Hello h -> T_HELLO;
            case Descriptor d -> T_DESCRIPTOR;
            case PageRequest r -> T_PAGE_REQUEST;
            case PageData d -> T_PAGE_DATA;
            case BlockRequest r -> T_BLOCK_REQUEST;
            case BlockData d -> T_BLOCK_DATA;
            case DirtyPages d -> T_DIRTY_PAGES;
            case DirtyBlocks d -> T_DIRTY_BLOCKS;
            case ReintegrateRequest r -> T_REINTEGRATE_REQUEST;
            case ReintegrateDone d -> T_REINTEGRATE_DONE;
            case Ack a -> T_ACK;
            case Message.Error e -> T_ERROR;
            case Bye b -> T_BYE;
            case Message.Endpoints e -> T_ENDPOINTS;
            case Message.ServerStats s -> T_SERVER_STATS;
            case Message.Microsleep z -> T_MICROSLEEP;
            case Message.Attach a -> T_ATTACH;
            case Message.Release r -> T_RELEASE;
            case Message.Ping p -> T_PING;
            case Message.Pong p -> T_PONG;
            case Message.GoHome g -> T_GO_HOME;
        };
    }

    private static long payloadLengthLong(Message m) {
        return switch (m) {
            case Hello h -> 2 + 1 + 1 + h.vmId().length() + 16 + 8 + 8;
            case Descriptor d -> 4L + d.bytes().length;
            case PageRequest r -> 20;
            case PageData d -> 17 + (d.isZero() ? 0 : Wire.PAGE_SIZE);
            case BlockRequest r -> 20;
            case BlockData d -> 17 + (d.isZero() ? 0 : Wire.BLOCK_SIZE);
            case DirtyPages d -> chunksLength(d.pages());
            case DirtyBlocks d -> chunksLength(d.blocks());
            case ReintegrateRequest r -> 0;
            case ReintegrateDone d -> 16;
            case Ack a -> 8;
            case Message.Error e -> 4 + errorText(e).length;
            case Bye b -> 0;
            case Message.Endpoints e -> 2 + 2 + 8 + 2;
            case Message.ServerStats s -> 7 * 8;
            case Message.Microsleep z -> 1;
            case Message.Attach a -> 4;
            case Message.Release r -> 0;
            case Message.Ping p -> 8;
            case Message.Pong p -> 8;
            case Message.GoHome g -> 2 + text(g.reason()).length;
        };
    }

    private static int payloadLength(Message m) {
        long l = payloadLengthLong(m);
        return l > Integer.MAX_VALUE - 64 ? Integer.MAX_VALUE : (int) l;
    }

    private static long chunksLength(List<Chunk> chunks) {
        long n = 4;
        for (Chunk c : chunks) n += CHUNK_HEADER + (c.isZero() ? 0 : Wire.PAGE_SIZE);
        return n;
    }

    private static byte[] errorText(Message.Error e) {
        return text(e.message());
    }

    /** UTF-8 of a human-readable text, cut to {@link Wire#MAX_ERROR_TEXT_BYTES}. */
    private static byte[] text(String s) {
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        if (t.length <= Wire.MAX_ERROR_TEXT_BYTES) return t;
        // Cut on a character boundary so the receiver never sees half a code point.
        int n = Wire.MAX_ERROR_TEXT_BYTES;
        while (n > 0 && (t[n] & 0xC0) == 0x80) n--;
        return java.util.Arrays.copyOf(t, n);
    }

    private static void writePayload(Message m, ByteBuffer b) {
        switch (m) {
            case Hello h -> {
                b.putShort((short) h.protocolVersion()).put((byte) h.role().code).put((byte) h.vmId().length());
                b.put(h.vmId().getBytes(StandardCharsets.US_ASCII)).putLong(h.session().high()).putLong(h.session().low())
                        .putLong(h.ramBytes()).putLong(h.diskBytes());
            }
            case Descriptor d -> b.putInt(d.format()).put(d.bytes());
            case PageRequest r -> b.putLong(r.requestId()).putLong(r.page()).putInt(r.count());
            case PageData d -> putUnit(b, d.requestId(), d.page(), d.data());
            case BlockRequest r -> b.putLong(r.requestId()).putLong(r.block()).putInt(r.count());
            case BlockData d -> putUnit(b, d.requestId(), d.block(), d.data());
            case DirtyPages d -> putChunks(b, d.pages());
            case DirtyBlocks d -> putChunks(b, d.blocks());
            case ReintegrateRequest r -> { }
            case ReintegrateDone d -> b.putLong(d.pages()).putLong(d.blocks());
            case Ack a -> b.putLong(a.requestId());
            case Message.Error e -> {
                byte[] t = errorText(e);
                b.putShort((short) e.code()).putShort((short) t.length).put(t);
            }
            case Bye x -> { }
            case Message.Endpoints e -> b.putShort((short) e.pagePort()).putShort((short) e.blockPort())
                    .putLong(e.wakeMac()).putShort((short) e.wakePort());
            case Message.Microsleep z -> b.put((byte) (z.asleep() ? 1 : 0));
            case Message.Attach a -> b.putShort((short) a.pagePort()).putShort((short) a.blockPort());
            case Message.Release r -> { }
            case Message.Ping p -> b.putLong(p.seq());
            case Message.Pong p -> b.putLong(p.seq());
            case Message.GoHome g -> {
                byte[] t = text(g.reason());
                b.putShort((short) t.length).put(t);
            }
            case Message.ServerStats s -> b.putLong(s.demandPages()).putLong(s.prefetchedPages()).putLong(s.zeroPages())
                    .putLong(s.blocksFetched()).putLong(s.faultP50Nanos()).putLong(s.faultP99Nanos()).putLong(s.rssBytes());
        }
    }

    private static void putUnit(ByteBuffer b, long id, long number, byte[] data) {
        b.putLong(id).putLong(number).put((byte) (data == null ? FLAG_ZERO : 0));
        if (data != null) b.put(data);
    }

    private static void putChunks(ByteBuffer b, List<Chunk> chunks) {
        b.putInt(chunks.size());
        for (Chunk c : chunks) {
            b.putLong(c.number()).put((byte) (c.isZero() ? FLAG_ZERO : 0));
            if (!c.isZero()) b.put(c.data());
        }
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes exactly one frame held in {@code frame}; bytes after it are an error. */
    public Message decode(byte[] frame) throws ProtocolException {
        if (frame.length < Wire.HEADER_BYTES) {
            throw new ProtocolException(Kind.TRUNCATED, "frame of " + frame.length + " bytes is shorter than the "
                    + Wire.HEADER_BYTES + "-byte header");
        }
        ByteBuffer h = ByteBuffer.wrap(frame, 0, Wire.HEADER_BYTES);
        int type = h.get(5) & 0xFF;
        int len = checkHeader(h);
        long whole = (long) Wire.HEADER_BYTES + len + Wire.TRAILER_BYTES;
        if (frame.length < whole) {
            throw new ProtocolException(Kind.TRUNCATED, "frame of " + frame.length + " bytes, header announces " + whole);
        }
        if (frame.length > whole) {
            throw new ProtocolException(Kind.MALFORMED, (frame.length - whole) + " stray bytes after the frame");
        }
        checkCrc(frame, 0, Wire.HEADER_BYTES + len, ByteBuffer.wrap(frame).getInt(Wire.HEADER_BYTES + len));
        return parse(type, ByteBuffer.wrap(frame, Wire.HEADER_BYTES, len).slice());
    }

    /**
     * Reads one frame from a stream. Throws {@link EOFException} if the stream ends cleanly before a
     * frame starts, {@link ProtocolException} for anything wrong with the frame (including a stream
     * that ends inside it), and other IOExceptions only for the stream's own failures.
     */
    public Message read(InputStream in) throws IOException {
        byte[] header = new byte[Wire.HEADER_BYTES];
        int n = in.readNBytes(header, 0, header.length);
        if (n == 0) throw new EOFException("connection closed");
        if (n < header.length) throw new ProtocolException(Kind.TRUNCATED, "stream ended after " + n + " header bytes");
        ByteBuffer h = ByteBuffer.wrap(header);
        int type = h.get(5) & 0xFF;
        int len = checkHeader(h);
        byte[] rest = readGrowing(in, len + Wire.TRAILER_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(rest, 0, len);
        int expected = ByteBuffer.wrap(rest).getInt(len);
        if ((int) crc.getValue() != expected) {
            throw new ProtocolException(Kind.BAD_CHECKSUM, String.format("CRC32C is %08x, frame says %08x",
                    (int) crc.getValue(), expected));
        }
        return parse(type, ByteBuffer.wrap(rest, 0, len).slice());
    }

    /**
     * Reads {@code n} bytes, allocating only as they arrive: a header may announce the whole
     * payload limit and then send nothing, and a thousand such peers must not cost a thousand
     * times the limit in heap.
     */
    private static byte[] readGrowing(InputStream in, int n) throws IOException {
        byte[] buf = new byte[Math.min(n, GROWTH_STEP)];
        int got = 0;
        while (got < n) {
            if (got == buf.length) buf = java.util.Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, got, buf.length - got);
            if (r < 0) {
                throw new ProtocolException(Kind.TRUNCATED, "stream ended after " + got + " of " + n
                        + " payload and checksum bytes");
            }
            got += r;
        }
        return buf;
    }

    /** Checks magic, version, type, flags and length; returns the payload length. */
    private int checkHeader(ByteBuffer h) throws ProtocolException {
        int magic = h.getInt(0);
        if (magic != Wire.MAGIC) {
            throw new ProtocolException(Kind.BAD_MAGIC, String.format("magic %08x, expected %08x (\"JTSN\")", magic, Wire.MAGIC));
        }
        int version = h.get(4) & 0xFF;
        if (version != Wire.VERSION) {
            throw new ProtocolException(Kind.UNSUPPORTED_VERSION, "protocol version " + version + ", this side speaks " + Wire.VERSION);
        }
        int type = h.get(5) & 0xFF;
        if (type < 1 || type > MAX_TYPE) throw new ProtocolException(Kind.UNKNOWN_TYPE, "message type " + type);
        int flags = h.getShort(6) & 0xFFFF;
        if (flags != 0) throw new ProtocolException(Kind.BAD_FLAGS, String.format("header flags %04x, none defined in version 1", flags));
        long len = h.getInt(8) & 0xFFFFFFFFL;
        if (len > limits.maxPayloadBytes()) {
            throw new ProtocolException(Kind.TOO_LONG, "payload of " + len + " bytes, limit " + limits.maxPayloadBytes());
        }
        return (int) len;
    }

    private static void checkCrc(byte[] a, int off, int len, int expected) throws ProtocolException {
        CRC32C crc = new CRC32C();
        crc.update(a, off, len);
        if ((int) crc.getValue() != expected) {
            throw new ProtocolException(Kind.BAD_CHECKSUM, String.format("CRC32C is %08x, frame says %08x",
                    (int) crc.getValue(), expected));
        }
    }

    private Message parse(int type, ByteBuffer p) throws ProtocolException {
        Payload in = new Payload(p, type);
        Message m = switch (type) {
            case T_HELLO -> parseHello(in);
            case T_DESCRIPTOR -> {
                int format = in.i32("descriptor format");
                yield new Descriptor(format, in.bytes(in.remaining(), "descriptor"));
            }
            case T_PAGE_REQUEST -> {
                long id = in.i64("request id");
                long page = in.i64("page");
                int count = in.i32("count");
                checkRun(page, count, limits.ramPages(), "page");
                yield new PageRequest(id, page, count);
            }
            case T_PAGE_DATA -> {
                long id = in.i64("request id");
                long page = in.i64("page");
                checkNumber(page, limits.ramPages(), "page");
                yield new PageData(id, page, in.unit("page"));
            }
            case T_BLOCK_REQUEST -> {
                long id = in.i64("request id");
                long block = in.i64("block");
                int count = in.i32("count");
                checkRun(block, count, limits.diskBlocks(), "block");
                yield new BlockRequest(id, block, count);
            }
            case T_BLOCK_DATA -> {
                long id = in.i64("request id");
                long block = in.i64("block");
                checkNumber(block, limits.diskBlocks(), "block");
                yield new BlockData(id, block, in.unit("block"));
            }
            case T_DIRTY_PAGES -> new DirtyPages(parseChunks(in, limits.ramPages(), "page"));
            case T_DIRTY_BLOCKS -> new DirtyBlocks(parseChunks(in, limits.diskBlocks(), "block"));
            case T_REINTEGRATE_REQUEST -> new ReintegrateRequest();
            case T_REINTEGRATE_DONE -> {
                long pages = in.i64("page count");
                long blocks = in.i64("block count");
                if (pages < 0 || blocks < 0) throw in.malformed("negative counts " + pages + ", " + blocks);
                yield new ReintegrateDone(pages, blocks);
            }
            case T_ACK -> new Ack(in.i64("request id"));
            case T_ERROR -> {
                int code = in.u16("error code");
                int n = in.u16("error text length");
                byte[] t = in.bytes(n, "error text");
                // Replacement characters rather than a failure: the text is for humans and already framed.
                yield new Message.Error(code, new String(t, StandardCharsets.UTF_8));
            }
            case T_BYE -> new Bye();
            case T_ENDPOINTS -> {
                int pagePort = in.u16("memserv port");
                int blockPort = in.u16("diskserv port");
                long mac = in.i64("wake MAC");
                if (mac < 0 || mac > Message.Endpoints.MAX_MAC) throw in.malformed("wake MAC 0x" + Long.toHexString(mac) + " is wider than 48 bits");
                yield new Message.Endpoints(pagePort, blockPort, mac, in.u16("wake port"));
            }
            case T_ATTACH -> new Message.Attach(in.u16("memserv port"), in.u16("diskserv port"));
            case T_RELEASE -> new Message.Release();
            case T_PING -> new Message.Ping(in.i64("ping sequence"));
            case T_PONG -> new Message.Pong(in.i64("pong sequence"));
            case T_GO_HOME -> {
                int n = in.u16("reason length");
                yield new Message.GoHome(new String(in.bytes(n, "reason"), StandardCharsets.UTF_8));
            }
            case T_MICROSLEEP -> {
                int v = in.u8("asleep flag");
                if (v > 1) throw in.malformed("asleep flag must be 0 or 1, not " + v);
                yield new Message.Microsleep(v == 1);
            }
            case T_SERVER_STATS -> {
                long[] v = new long[7];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.i64("server stat " + i);
                    if (v[i] < 0) throw in.malformed("server stat " + i + " is negative: " + v[i]);
                }
                yield new Message.ServerStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
            }
            default -> throw new ProtocolException(Kind.UNKNOWN_TYPE, "message type " + type);
        };
        if (in.remaining() != 0) throw in.malformed(in.remaining() + " bytes left over after the message");
        return m;
    }

    private static Hello parseHello(Payload in) throws ProtocolException {
        int version = in.u16("protocol version");
        int roleCode = in.u8("role");
        Role role = Role.ofCode(roleCode);
        if (role == null) throw in.malformed("unknown role " + roleCode);
        int idLen = in.u8("VM id length");
        String id = new String(in.bytes(idLen, "VM id"), StandardCharsets.ISO_8859_1);
        if (!Wire.validVmId(id)) throw in.malformed("VM id must be " + Wire.VM_ID_RULE);
        var session = new SessionId(in.i64("session id"), in.i64("session id"));
        long ram = in.i64("RAM bytes");
        long disk = in.i64("disk bytes");
        if (ram < 0 || ram > Limits.MAX_RAM_BYTES || ram % Wire.PAGE_SIZE != 0) {
            throw in.malformed("guest RAM of " + ram + " bytes is not whole 4 KiB pages up to 1 TiB");
        }
        if (disk < 0 || disk > Limits.MAX_DISK_BYTES) throw in.malformed("disk of " + disk + " bytes is over 64 TiB or negative");
        return new Hello(version, id, session, ram, disk, role);
    }

    private List<Chunk> parseChunks(Payload in, long limit, String what) throws ProtocolException {
        int n = in.i32(what + " count");
        // Every entry takes at least CHUNK_HEADER bytes, so a count the payload cannot hold is refused
        // before the list is sized by it.
        if (n < 0 || (long) n * CHUNK_HEADER > in.remaining()) {
            throw in.malformed(n + " " + what + "s announced, " + in.remaining() + " bytes left");
        }
        List<Chunk> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long number = in.i64(what + " number");
            checkNumber(number, limit, what);
            out.add(new Chunk(number, in.unit(what)));
        }
        return out;
    }

    private void checkRun(long first, int count, long size, String what) throws ProtocolException {
        if (count < 1 || count > limits.maxRunLength()) {
            throw new ProtocolException(Kind.OUT_OF_RANGE, what + " count " + count + " outside 1.." + limits.maxRunLength());
        }
        if (first < 0 || first >= size || count > size - first) {
            throw new ProtocolException(Kind.OUT_OF_RANGE, what + "s " + first + "+" + count + " outside the VM's "
                    + size + " " + what + "s");
        }
    }

    private static void checkNumber(long n, long size, String what) throws ProtocolException {
        if (n < 0 || n >= size) {
            throw new ProtocolException(Kind.OUT_OF_RANGE, what + " " + n + " outside the VM's " + size + " " + what + "s");
        }
    }

    /** Bounds-checked reads from a payload; every shortfall is a MALFORMED naming the field. */
    private static final class Payload {
        private final ByteBuffer b;
        private final int type;

        Payload(ByteBuffer b, int type) {
            this.b = b;
            this.type = type;
        }

        int remaining() { return b.remaining(); }

        ProtocolException malformed(String what) {
            return new ProtocolException(Kind.MALFORMED, "message type " + type + ": " + what);
        }

        private void need(int n, String field) throws ProtocolException {
            if (b.remaining() < n) throw malformed(field + " needs " + n + " bytes, " + b.remaining() + " left");
        }

        int u8(String f) throws ProtocolException { need(1, f); return b.get() & 0xFF; }
        int u16(String f) throws ProtocolException { need(2, f); return b.getShort() & 0xFFFF; }
        int i32(String f) throws ProtocolException { need(4, f); return b.getInt(); }
        long i64(String f) throws ProtocolException { need(8, f); return b.getLong(); }

        byte[] bytes(int n, String f) throws ProtocolException {
            if (n < 0) throw malformed(f + " has negative length " + n);
            need(n, f);
            byte[] out = new byte[n];
            b.get(out);
            return out;
        }

        /** flags u8 then 4 KiB unless the zero flag is set. */
        byte[] unit(String what) throws ProtocolException {
            int flags = u8(what + " flags");
            if ((flags & ~FLAG_ZERO) != 0) throw malformed(String.format("%s flags %02x, only 01 (zero) defined", what, flags));
            return (flags & FLAG_ZERO) != 0 ? null : bytes(Wire.PAGE_SIZE, what + " data");
        }
    }
}
