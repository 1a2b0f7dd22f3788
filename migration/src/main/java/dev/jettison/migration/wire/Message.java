package dev.jettison.migration.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every message between desktop and server (docs/wire-protocol.md). Page and block contents are
 * 4 KiB or absent: absent means all zeros, so a zero page costs a few bytes on the wire and a
 * UFFDIO_ZEROPAGE on the server instead of a copy.
 */
public sealed interface Message {

    /**
     * First message each way: who speaks, which VM, in which consolidation epoch, how big, so
     * numbers can be range-checked and nothing of another epoch is served or read as current.
     */
    record Hello(int protocolVersion, String vmId, SessionId session, long ramBytes, long diskBytes, Role role)
            implements Message {
        public Hello {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(session, "session");
            if (!Wire.validVmId(vmId)) throw new IllegalArgumentException("bad VM id '" + vmId + "'");
            if (ramBytes < 0 || ramBytes > Limits.MAX_RAM_BYTES || ramBytes % Wire.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("guest RAM must be whole 4 KiB pages up to 1 TiB: " + ramBytes);
            }
            if (diskBytes < 0 || diskBytes > Limits.MAX_DISK_BYTES) throw new IllegalArgumentException("bad disk size " + diskBytes);
        }

        public static Hello of(String vmId, SessionId session, long ramBytes, long diskBytes, Role role) {
            return new Hello(Wire.VERSION, vmId, session, ramBytes, diskBytes, role);
        }

        /** A Hello outside any consolidation epoch (every state service refuses it). */
        public static Hello of(String vmId, long ramBytes, long diskBytes, Role role) {
            return of(vmId, SessionId.NONE, ramBytes, diskBytes, role);
        }
    }

    /** The VM descriptor (vCPU, VM and device state), opaque here; {@code format} is its own version. */
    record Descriptor(int format, byte[] bytes) implements Message {
        public Descriptor {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override public boolean equals(Object o) {
            return o instanceof Descriptor d && d.format == format && Arrays.equals(d.bytes, bytes);
        }
        @Override public int hashCode() { return 31 * format + Arrays.hashCode(bytes); }
        @Override public String toString() { return "Descriptor[format=" + format + ", " + bytes.length + " bytes]"; }
    }

    /** Asks for pages [page, page+count); answered by one PageData per page, in order. */
    record PageRequest(long requestId, long page, int count) implements Message {
        public PageRequest {
            if (page < 0 || count < 1) throw new IllegalArgumentException("bad page run " + page + "+" + count);
        }
    }

    /** One page; {@code data} is 4 KiB, or null for an all-zero page. */
    record PageData(long requestId, long page, byte[] data) implements Message {
        public PageData {
            if (page < 0) throw new IllegalArgumentException("negative page " + page);
            if (data != null && data.length != Wire.PAGE_SIZE) throw new IllegalArgumentException("page data must be 4096 bytes: " + data.length);
        }

        public static PageData zero(long requestId, long page) { return new PageData(requestId, page, null); }

        public boolean isZero() { return data == null; }

        @Override public boolean equals(Object o) {
            return o instanceof PageData p && p.requestId == requestId && p.page == page && Arrays.equals(p.data, data);
        }
        @Override public int hashCode() { return Objects.hash(requestId, page, Arrays.hashCode(data)); }
        @Override public String toString() { return "PageData[id=" + requestId + ", page=" + page + (data == null ? ", zero]" : "]"); }
    }

    /** Asks for disk blocks [block, block+count). */
    record BlockRequest(long requestId, long block, int count) implements Message {
        public BlockRequest {
            if (block < 0 || count < 1) throw new IllegalArgumentException("bad block run " + block + "+" + count);
        }
    }

    /** One 4 KiB disk block, or null data for an all-zero block. */
    record BlockData(long requestId, long block, byte[] data) implements Message {
        public BlockData {
            if (block < 0) throw new IllegalArgumentException("negative block " + block);
            if (data != null && data.length != Wire.BLOCK_SIZE) throw new IllegalArgumentException("block data must be 4096 bytes: " + data.length);
        }

        public static BlockData zero(long requestId, long block) { return new BlockData(requestId, block, null); }

        public boolean isZero() { return data == null; }

        @Override public boolean equals(Object o) {
            return o instanceof BlockData b && b.requestId == requestId && b.block == block && Arrays.equals(b.data, data);
        }
        @Override public int hashCode() { return Objects.hash(requestId, block, Arrays.hashCode(data)); }
        @Override public String toString() { return "BlockData[id=" + requestId + ", block=" + block + (data == null ? ", zero]" : "]"); }
    }

    /** A numbered 4 KiB unit in a dirty batch; null data means all zeros. */
    record Chunk(long number, byte[] data) {
        public Chunk {
            if (number < 0) throw new IllegalArgumentException("negative number " + number);
            if (data != null && data.length != Wire.PAGE_SIZE) throw new IllegalArgumentException("chunk must be 4096 bytes: " + data.length);
        }

        public boolean isZero() { return data == null; }

        @Override public boolean equals(Object o) {
            return o instanceof Chunk c && c.number == number && Arrays.equals(c.data, data);
        }
        @Override public int hashCode() { return Long.hashCode(number) * 31 + Arrays.hashCode(data); }
        @Override public String toString() { return "Chunk[" + number + (data == null ? ", zero]" : "]"); }
    }

    /** Reintegration: pages the guest dirtied on the server. */
    record DirtyPages(List<Chunk> pages) implements Message {
        public DirtyPages { pages = List.copyOf(pages); }
    }

    /** Reintegration: disk blocks the guest wrote on the server. */
    record DirtyBlocks(List<Chunk> blocks) implements Message {
        public DirtyBlocks { blocks = List.copyOf(blocks); }
    }

    /** Asks the server to send the VM home. */
    record ReintegrateRequest() implements Message {}

    /** Everything dirty was sent: the counts let the desktop check it applied all of it. */
    record ReintegrateDone(long pages, long blocks) implements Message {
        public ReintegrateDone {
            if (pages < 0 || blocks < 0) throw new IllegalArgumentException("negative counts");
        }
    }

    /** Acknowledges the message carrying {@code requestId} (or a batch, by its sequence number). */
    record Ack(long requestId) implements Message {}

    /** A refusal; {@code code} is one of the constants below, {@code message} says what was wrong. */
    record Error(int code, String message) implements Message {
        public static final int BAD_REQUEST = 1;
        public static final int VM_MISMATCH = 2;
        public static final int PROTOCOL = 3;
        public static final int INTERNAL = 4;
        public static final int UNEXPECTED = 5;
        /**
         * The Hello's session is not (or no longer) served here. Deliberately says nothing about
         * which VMs or sessions exist, since the peer has not shown it belongs to one.
         */
        public static final int NO_SESSION = 6;
        public static final String NO_SESSION_TEXT = "no such session";
        /**
         * The peer's certificate does not allow what it asked (a desktop asking for a VM it does
         * not own, a desktop speaking as a server). Names nothing, like NO_SESSION, but is not
         * taken as the end of an epoch: it never makes a server forget a VM.
         */
        public static final int REFUSED = 7;
        public static final String REFUSED_TEXT = "not permitted";

        public Error {
            if (code < 0 || code > 0xFFFF) throw new IllegalArgumentException("error code must fit 16 bits: " + code);
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Desktop to server at consolidation: the ports of the desktop's memserv and diskserv (0 = none),
     * on the address the control connection came from, and how remoteWakeup wakes the desktop from
     * a microsleep (§4): its MAC for the magic packet (0 = it never sleeps) and the UDP port its
     * Wake-on-LAN listener uses (0 = the server's configured port; a real NIC ignores the port).
     */
    record Endpoints(int pagePort, int blockPort, long wakeMac, int wakePort) implements Message {
        public static final long MAX_MAC = 0xFFFF_FFFF_FFFFL;

        public Endpoints {
            if (pagePort < 0 || pagePort > 0xFFFF || blockPort < 0 || blockPort > 0xFFFF || wakePort < 0 || wakePort > 0xFFFF) {
                throw new IllegalArgumentException("ports must be 0..65535: " + pagePort + ", " + blockPort + ", " + wakePort);
            }
            if (wakeMac < 0 || wakeMac > MAX_MAC) throw new IllegalArgumentException("MAC must fit 48 bits: " + wakeMac);
        }

        /** A desktop that never microsleeps. */
        public Endpoints(int pagePort, int blockPort) {
            this(pagePort, blockPort, 0, 0);
        }
    }

    /**
     * Desktop to server on the control connection: the desktop is about to microsleep
     * ({@code asleep}) or has woken. While it sleeps, remoteWakeup sends the magic packet before
     * a request instead of after one times out (§4: memtap and cownetdisk notify remoteWakeup first).
     */
    record Microsleep(boolean asleep) implements Message {}

    /** Server to desktop before ReintegrateDone: what the consolidation cost, for the migration report. */
    record ServerStats(long demandPages, long prefetchedPages, long zeroPages, long blocksFetched,
                       long faultP50Nanos, long faultP99Nanos, long rssBytes) implements Message {
        public ServerStats {
            if (demandPages < 0 || prefetchedPages < 0 || zeroPages < 0 || blocksFetched < 0 || faultP50Nanos < 0
                    || faultP99Nanos < 0 || rssBytes < 0) {
                throw new IllegalArgumentException("server stats must be >= 0");
            }
        }
    }

    /** Orderly end of a connection. */
    record Bye() implements Message {}

    /**
     * Desktop to server on a new control connection after the old one was lost: take this
     * connection as the control channel of the VM of the Hello's session, and fetch its pages and
     * blocks from these ports from now on (a desktop daemon that restarted listens on new ones).
     * Answered with {@code Ack(0)} if that VM is still here, else {@code Error(NO_SESSION)}.
     */
    record Attach(int pagePort, int blockPort) implements Message {
        public Attach {
            if (pagePort < 0 || pagePort > 0xFFFF || blockPort < 0 || blockPort > 0xFFFF) {
                throw new IllegalArgumentException("ports must be 0..65535: " + pagePort + ", " + blockPort);
            }
        }
    }

    /**
     * Desktop to server: forget the VM of the Hello's session, because it runs on the desktop again
     * (it came home and the Ack was lost, or the desktop resumed its residue). Always answered with
     * {@code Ack(0)}: after it the server holds nothing of that session.
     */
    record Release() implements Message {}

    /** Server to desktop on the control channel while the desktop is awake: are you there? */
    record Ping(long seq) implements Message {}

    /** Desktop to server: answer to {@link Ping}. */
    record Pong(long seq) implements Message {}

    /**
     * Server to desktop: the server wants to give the VM back (it is stopping, or evicting it); the
     * desktop answers with a ReintegrateRequest as if its user had come back.
     */
    record GoHome(String reason) implements Message {
        public GoHome {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
