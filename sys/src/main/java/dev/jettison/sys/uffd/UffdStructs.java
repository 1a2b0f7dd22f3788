package dev.jettison.sys.uffd;

import dev.jettison.sys.Ioc;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static dev.jettison.sys.Layouts.bytes;
import static dev.jettison.sys.Layouts.field;
import static dev.jettison.sys.Layouts.u16;
import static dev.jettison.sys.Layouts.u32;
import static dev.jettison.sys.Layouts.u64;
import static dev.jettison.sys.Layouts.u8;
import static java.lang.foreign.MemoryLayout.structLayout;

/** The structs and ioctl numbers of linux/userfaultfd.h (x86_64), field for field. */
public final class UffdStructs {
    private UffdStructs() {}

    /** The ioctl type byte of userfaultfd requests. */
    public static final int UFFDIO = 0xAA;

    /** struct uffdio_api: the API version we speak, and what the kernel offers back. */
    public static final StructLayout API = structLayout(u64("api"), u64("features"), u64("ioctls")).withName("uffdio_api");
    public static final VarHandle API_API = field(API, "api");

    /** struct uffdio_range. */
    public static final StructLayout RANGE = structLayout(u64("start"), u64("len")).withName("uffdio_range");
    public static final VarHandle RANGE_START = field(RANGE, "start");
    public static final VarHandle RANGE_LEN = field(RANGE, "len");

    /** struct uffdio_register: a range, the fault modes to report in it, the ioctls then allowed. */
    public static final StructLayout REGISTER = structLayout(RANGE.withName("range"), u64("mode"), u64("ioctls"))
            .withName("uffdio_register");
    public static final VarHandle REGISTER_START = field(REGISTER, "range.start");
    public static final VarHandle REGISTER_LEN = field(REGISTER, "range.len");
    public static final VarHandle REGISTER_MODE = field(REGISTER, "mode");

    /** struct uffdio_copy: fill [dst, dst+len) from src; the kernel reports bytes copied in copy. */
    public static final StructLayout COPY = structLayout(u64("dst"), u64("src"), u64("len"), u64("mode"), u64("copy"))
            .withName("uffdio_copy");
    public static final VarHandle COPY_DST = field(COPY, "dst");
    public static final VarHandle COPY_SRC = field(COPY, "src");
    public static final VarHandle COPY_LEN = field(COPY, "len");

    /** struct uffdio_zeropage: map zero pages over a range; bytes mapped come back in zeropage. */
    public static final StructLayout ZEROPAGE = structLayout(RANGE.withName("range"), u64("mode"), u64("zeropage"))
            .withName("uffdio_zeropage");
    public static final VarHandle ZEROPAGE_START = field(ZEROPAGE, "range.start");
    public static final VarHandle ZEROPAGE_LEN = field(ZEROPAGE, "range.len");

    /** struct uffd_msg: an event header and, for page faults, the flags and faulting address. */
    public static final StructLayout MSG = structLayout(
            u8("event"), u8("reserved1"), u16("reserved2"), u32("reserved3"),
            MemoryLayout.unionLayout(
                    structLayout(u64("flags"), u64("address"), u32("ptid"), u32("pad")).withName("pagefault"),
                    bytes("reserved", 24)).withName("arg")).withName("uffd_msg");
    public static final VarHandle MSG_EVENT = field(MSG, "event");
    public static final VarHandle MSG_PAGEFAULT_FLAGS = field(MSG, "arg.pagefault.flags");
    public static final VarHandle MSG_PAGEFAULT_ADDRESS = field(MSG, "arg.pagefault.address");

    public static final long UFFDIO_API = Ioc.readWrite(UFFDIO, 0x3F, API);
    public static final long UFFDIO_REGISTER = Ioc.readWrite(UFFDIO, 0x00, REGISTER);
    public static final long UFFDIO_UNREGISTER = Ioc.read(UFFDIO, 0x01, RANGE);
    public static final long UFFDIO_WAKE = Ioc.read(UFFDIO, 0x02, RANGE);
    public static final long UFFDIO_COPY = Ioc.readWrite(UFFDIO, 0x03, COPY);
    public static final long UFFDIO_ZEROPAGE = Ioc.readWrite(UFFDIO, 0x04, ZEROPAGE);
    /** On /dev/userfaultfd: a new userfaultfd, flags passed by value. */
    public static final long USERFAULTFD_IOC_NEW = Ioc.none(UFFDIO, 0x00);
}
