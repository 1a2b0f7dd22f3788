package dev.jettison.sys.uffd;

import dev.jettison.sys.Layouts;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against sizeof/offsetof and the request numbers printed by a C program including linux/userfaultfd.h. */
class UffdStructsTest {
    @Test
    void requestNumbersAreTheHeaders() {
        assertEquals(0xC018AA3FL, UffdStructs.UFFDIO_API);
        assertEquals(0xC020AA00L, UffdStructs.UFFDIO_REGISTER);
        assertEquals(0x8010AA01L, UffdStructs.UFFDIO_UNREGISTER);
        assertEquals(0x8010AA02L, UffdStructs.UFFDIO_WAKE);
        assertEquals(0xC028AA03L, UffdStructs.UFFDIO_COPY);
        assertEquals(0xC020AA04L, UffdStructs.UFFDIO_ZEROPAGE);
        assertEquals(0xAA00L, UffdStructs.USERFAULTFD_IOC_NEW);
    }

    @Test
    void layoutsAreTheKernels() {
        assertEquals(24, UffdStructs.API.byteSize());
        assertEquals(16, UffdStructs.RANGE.byteSize());
        assertEquals(32, UffdStructs.REGISTER.byteSize());
        assertEquals(16, Layouts.offset(UffdStructs.REGISTER, "mode"));
        assertEquals(40, UffdStructs.COPY.byteSize());
        assertEquals(24, Layouts.offset(UffdStructs.COPY, "mode"));
        assertEquals(32, Layouts.offset(UffdStructs.COPY, "copy"));
        assertEquals(32, UffdStructs.ZEROPAGE.byteSize());
        assertEquals(24, Layouts.offset(UffdStructs.ZEROPAGE, "zeropage"));
        assertEquals(32, UffdStructs.MSG.byteSize());
        assertEquals(8, Layouts.offset(UffdStructs.MSG, "arg.pagefault.flags"));
        assertEquals(16, Layouts.offset(UffdStructs.MSG, "arg.pagefault.address"));
    }
}
