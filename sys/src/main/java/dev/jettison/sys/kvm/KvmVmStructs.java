package dev.jettison.sys.kvm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static dev.jettison.sys.Layouts.array;
import static dev.jettison.sys.Layouts.bytes;
import static dev.jettison.sys.Layouts.field;
import static dev.jettison.sys.Layouts.u16;
import static dev.jettison.sys.Layouts.u32;
import static dev.jettison.sys.Layouts.u64;
import static dev.jettison.sys.Layouts.u8;
import static java.lang.foreign.MemoryLayout.structLayout;

/** The VM-wide structs of linux/kvm.h and asm/kvm.h (x86_64), field for field. */
public final class KvmVmStructs {
    private KvmVmStructs() {}

    /** struct kvm_userspace_memory_region: maps host memory into guest-physical space. */
    public static final StructLayout USERSPACE_MEMORY_REGION = structLayout(
            u32("slot"), u32("flags"), u64("guest_phys_addr"), u64("memory_size"), u64("userspace_addr"))
            .withName("kvm_userspace_memory_region");
    public static final VarHandle MEMORY_REGION_SLOT = field(USERSPACE_MEMORY_REGION, "slot");
    public static final VarHandle MEMORY_REGION_FLAGS = field(USERSPACE_MEMORY_REGION, "flags");
    public static final VarHandle MEMORY_REGION_GUEST_PHYS_ADDR = field(USERSPACE_MEMORY_REGION, "guest_phys_addr");
    public static final VarHandle MEMORY_REGION_SIZE = field(USERSPACE_MEMORY_REGION, "memory_size");
    public static final VarHandle MEMORY_REGION_USERSPACE_ADDR = field(USERSPACE_MEMORY_REGION, "userspace_addr");

    /** struct kvm_dirty_log: which slot, and where the kernel writes its bitmap (a user pointer). */
    public static final StructLayout DIRTY_LOG = structLayout(u32("slot"), u32("padding1"), u64("dirty_bitmap"))
            .withName("kvm_dirty_log");
    public static final VarHandle DIRTY_LOG_SLOT = field(DIRTY_LOG, "slot");
    public static final VarHandle DIRTY_LOG_BITMAP = field(DIRTY_LOG, "dirty_bitmap");

    /** struct kvm_irq_level: a GSI (the union's {@code irq}) and the level to drive it to. */
    public static final StructLayout IRQ_LEVEL = structLayout(u32("irq"), u32("level")).withName("kvm_irq_level");
    public static final VarHandle IRQ_LEVEL_IRQ = field(IRQ_LEVEL, "irq");
    public static final VarHandle IRQ_LEVEL_LEVEL = field(IRQ_LEVEL, "level");

    /** struct kvm_pit_config: flags for KVM_CREATE_PIT2. */
    public static final StructLayout PIT_CONFIG = structLayout(u32("flags"), array("pad", 15, u32("pad")))
            .withName("kvm_pit_config");
    public static final VarHandle PIT_CONFIG_FLAGS = field(PIT_CONFIG, "flags");

    /** KVM_SET_IDENTITY_MAP_ADDR takes a pointer to one __u64. */
    public static final ValueLayout.OfLong IDENTITY_MAP_ADDR = u64("identity_map_addr");

    /** struct kvm_pic_state: one 8259 PIC. */
    public static final StructLayout PIC_STATE = structLayout(
            u8("last_irr"), u8("irr"), u8("imr"), u8("isr"), u8("priority_add"), u8("irq_base"),
            u8("read_reg_select"), u8("poll"), u8("special_mask"), u8("init_state"), u8("auto_eoi"),
            u8("rotate_on_auto_eoi"), u8("special_fully_nested_mode"), u8("init4"), u8("elcr"), u8("elcr_mask"))
            .withName("kvm_pic_state");

    /** struct kvm_ioapic_state: the IOAPIC and its 24 redirection entries. */
    public static final StructLayout IOAPIC_STATE = structLayout(
            u64("base_address"), u32("ioregsel"), u32("id"), u32("irr"), u32("pad"),
            array("redirtbl", 24, u64("bits"))).withName("kvm_ioapic_state");

    /** struct kvm_irqchip: which chip (PIC master, PIC slave, IOAPIC), then its state. */
    public static final UnionLayout IRQCHIP_UNION = MemoryLayout.unionLayout(
            bytes("dummy", 512), PIC_STATE.withName("pic"), IOAPIC_STATE.withName("ioapic")).withName("chip");
    public static final StructLayout IRQCHIP = structLayout(u32("chip_id"), u32("pad"), IRQCHIP_UNION)
            .withName("kvm_irqchip");
    public static final VarHandle IRQCHIP_CHIP_ID = field(IRQCHIP, "chip_id");

    /** struct kvm_pit_channel_state: one 8254 counter. */
    public static final StructLayout PIT_CHANNEL_STATE = structLayout(
            u32("count"), u16("latched_count"), u8("count_latched"), u8("status_latched"), u8("status"),
            u8("read_state"), u8("write_state"), u8("write_latch"), u8("rw_mode"), u8("mode"), u8("bcd"),
            u8("gate"), u64("count_load_time")).withName("kvm_pit_channel_state");

    /** struct kvm_pit_state2: the three PIT counters and the speaker flags. */
    public static final StructLayout PIT_STATE2 = structLayout(
            array("channels", 3, PIT_CHANNEL_STATE), u32("flags"), array("reserved", 9, u32("reserved")))
            .withName("kvm_pit_state2");

    /** struct kvm_clock_data: kvmclock's view of time and the flags saying which fields are valid. */
    public static final StructLayout CLOCK_DATA = structLayout(
            u64("clock"), u32("flags"), u32("pad0"), u64("realtime"), u64("host_tsc"), array("pad", 4, u32("pad")))
            .withName("kvm_clock_data");
}
