// kvmtest: smallest useful check that /dev/kvm works (meant to run inside the
// emulated L1 host). Modes:
//   kvmtest loop  N   64-bit guest runs `dec rcx; jnz` N times at CPL0, then CPL3
//   kvmtest real  N   same loop in real mode (no paging setup at all)
//   kvmtest exits N   guest does N `out` instructions -> N KVM_EXIT_IO round trips
//   kvmtest uffd  P   guest reads P pages of a userfaultfd-MISSING memslot; a
//                     handler thread fills each with UFFDIO_COPY
//   kvmtest touch P   same guest code on a plain unpopulated memslot (baseline:
//                     host page fault + nested-paging fault, no userfaultfd)
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define DIE(...) do { fprintf(stderr, __VA_ARGS__); fprintf(stderr, ": %s\n", strerror(errno)); exit(1); } while (0)
#define MB2 (2u << 20)
#define CODE 0x10000

static int kvm, vm, vcpu;
static struct kvm_run *run;
static uint8_t *mem;   // slot 0: GPA [0, 2 MiB)

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static void setup(void) {
  if ((kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0) DIE("open /dev/kvm");
  printf("KVM_GET_API_VERSION=%d\n", ioctl(kvm, KVM_GET_API_VERSION, 0));
  if ((vm = ioctl(kvm, KVM_CREATE_VM, 0)) < 0) DIE("KVM_CREATE_VM");
  mem = mmap(0, MB2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  struct kvm_userspace_memory_region r = { .slot = 0, .guest_phys_addr = 0, .memory_size = MB2, .userspace_addr = (uintptr_t)mem };
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0) DIE("KVM_SET_USER_MEMORY_REGION");
  if ((vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0) DIE("KVM_CREATE_VCPU");
  int sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  run = mmap(0, sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
  if (run == MAP_FAILED) DIE("mmap kvm_run");
}

// Real mode: CS base 0, so code at CODE is reached with cs=0x1000, ip=0.
static void realmode(void) {
  struct kvm_sregs s; struct kvm_regs r = { .rflags = 2, .rip = 0 };
  ioctl(vcpu, KVM_GET_SREGS, &s);
  s.cs.base = CODE; s.cs.selector = CODE >> 4;
  ioctl(vcpu, KVM_SET_SREGS, &s);
  ioctl(vcpu, KVM_SET_REGS, &r);
}

// 64-bit long mode via KVM_SET_SREGS (no GDT/IDT needed: the segment caches are
// set directly). Identity-maps 1 GiB with 2 MiB pages, user-accessible.
static void longmode(int cpl) {
  uint64_t *pml4 = (void *)(mem + 0x1000), *pdpt = (void *)(mem + 0x2000), *pd = (void *)(mem + 0x3000);
  pml4[0] = 0x2000 | 7; pdpt[0] = 0x3000 | 7;
  for (int i = 0; i < 512; i++) pd[i] = ((uint64_t)i << 21) | 0x87;   // P RW US PS
  struct kvm_sregs s; ioctl(vcpu, KVM_GET_SREGS, &s);
  struct kvm_segment cs = { .base = 0, .limit = 0xffffffff, .selector = cpl ? 0x1b : 8, .type = 11,
                            .present = 1, .dpl = cpl, .s = 1, .l = 1, .g = 1 };
  struct kvm_segment ds = { .base = 0, .limit = 0xffffffff, .selector = cpl ? 0x23 : 16, .type = 3,
                            .present = 1, .dpl = cpl, .s = 1, .db = 1, .g = 1 };
  s.cs = cs; s.ds = s.es = s.fs = s.gs = s.ss = ds;
  s.cr3 = 0x1000; s.cr4 = 0x20; /* PAE */ s.cr0 = 0x80050033; /* PG WP NE ET MP PE */ s.efer = 0x500; /* LME LMA */
  if (ioctl(vcpu, KVM_SET_SREGS, &s) < 0) DIE("KVM_SET_SREGS");
  struct kvm_regs r = { .rip = CODE, .rflags = 0x3002 /* IOPL=3 so `out` works at CPL3 */, .rsp = 0x8000 };
  if (ioctl(vcpu, KVM_SET_REGS, &r) < 0) DIE("KVM_SET_REGS");
}

static const char *exitname(int r) {
  switch (r) { case KVM_EXIT_IO: return "KVM_EXIT_IO"; case KVM_EXIT_HLT: return "KVM_EXIT_HLT";
    case KVM_EXIT_SHUTDOWN: return "KVM_EXIT_SHUTDOWN"; case KVM_EXIT_FAIL_ENTRY: return "KVM_EXIT_FAIL_ENTRY";
    case KVM_EXIT_INTERNAL_ERROR: return "KVM_EXIT_INTERNAL_ERROR"; case KVM_EXIT_MMIO: return "KVM_EXIT_MMIO"; }
  return "other";
}

// Runs until `out` to port 0x10; counts other port-0x11 exits. Returns al written to 0x10.
static int runto10(long *exits) {
  for (;;) {
    if (ioctl(vcpu, KVM_RUN, 0) < 0) DIE("KVM_RUN");
    if (run->exit_reason == KVM_EXIT_IO && run->io.port == 0x11) { if (exits) ++*exits; continue; }
    if (run->exit_reason == KVM_EXIT_IO && run->io.port == 0x10) return *((uint8_t *)run + run->io.data_offset);
    struct kvm_regs r; ioctl(vcpu, KVM_GET_REGS, &r);
    fprintf(stderr, "unexpected exit %d (%s) rip=%llx hw=%llx\n", run->exit_reason, exitname(run->exit_reason),
            r.rip, (unsigned long long)run->hw.hardware_exit_reason);
    exit(1);
  }
}

static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void loop(long n, int real) {
  uint8_t *c = mem + CODE;
  if (real) {  // mov ecx,imm32; l: dec ecx; jnz l; out 0x10,al
    uint8_t code[] = { 0x66, 0xb9, 0, 0, 0, 0, 0x66, 0x49, 0x75, 0xfc, 0xe6, 0x10 };
    uint32_t n32 = n; memcpy(code + 2, &n32, 4); memcpy(c, code, sizeof code);
    realmode();
    double t = now(); runto10(0); t = now() - t;
    printf("real mode: %ld iterations (2 insns each) in %.3f s = %.1f M guest insn/s; exit %s\n", n, t, 2 * n / t / 1e6, exitname(run->exit_reason));
    return;
  }
  // mov rcx,imm64; l: dec rcx; jnz l; out 0x10,al
  uint8_t code[] = { 0x48, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0, 0x48, 0xff, 0xc9, 0x75, 0xfb, 0xe6, 0x10 };
  put64(code + 2, n); memcpy(c, code, sizeof code);
  for (int cpl = 0; cpl <= 3; cpl += 3) {
    longmode(cpl);
    double t = now(); runto10(0); t = now() - t;
    printf("long mode CPL%d: %ld iterations (2 insns each) in %.3f s = %.1f M guest insn/s; exit %s port 0x%x\n",
           cpl, n, t, 2 * n / t / 1e6, exitname(run->exit_reason), run->io.port);
  }
}

static void exits(long n) {
  // mov rcx,imm64; l: out 0x11,al; dec rcx; jnz l; out 0x10,al
  uint8_t code[] = { 0x48, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0, 0xe6, 0x11, 0x48, 0xff, 0xc9, 0x75, 0xf9, 0xe6, 0x10 };
  put64(code + 2, n); memcpy(mem + CODE, code, sizeof code);
  longmode(0);
  long cnt = 0; double t = now(); runto10(&cnt); t = now() - t;
  printf("%ld KVM_EXIT_IO round trips in %.3f s = %.1f us each\n", cnt, t, t / cnt * 1e6);
}

static int uffd; static long faults;
static void *uffd_handler(void *arg) {
  static uint8_t page[4096] __attribute__((aligned(4096)));
  (void)arg;
  for (;;) {
    struct pollfd p = { .fd = uffd, .events = POLLIN };
    if (poll(&p, 1, -1) < 0) DIE("poll");
    struct uffd_msg m;
    if (read(uffd, &m, sizeof m) != sizeof m) { if (errno == EAGAIN) continue; DIE("read uffd"); }
    if (m.event != UFFD_EVENT_PAGEFAULT) continue;
    uint64_t a = m.arg.pagefault.address & ~4095ull;
    long i = __atomic_add_fetch(&faults, 1, __ATOMIC_SEQ_CST);  // count before the copy wakes the vCPU
    memset(page, (int)i, sizeof page);                          // page i (1-based) gets byte i (mod 256)
    struct uffdio_copy cp = { .dst = a, .src = (uintptr_t)page, .len = 4096 };
    if (ioctl(uffd, UFFDIO_COPY, &cp) < 0 && errno != EEXIST) DIE("UFFDIO_COPY");
  }
  return 0;
}

static void uffdtest(long pages, int use_uffd) {
  // slot 1: GPA [2 MiB, 4 MiB), backed by an unpopulated region registered MISSING.
  uint8_t *m2 = mmap(0, MB2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (!use_uffd) {
    struct kvm_userspace_memory_region r = { .slot = 1, .guest_phys_addr = MB2, .memory_size = MB2, .userspace_addr = (uintptr_t)m2 };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0) DIE("KVM_SET_USER_MEMORY_REGION slot 1");
    goto guest;
  }
  if ((uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK)) < 0) DIE("userfaultfd");
  struct uffdio_api api = { .api = UFFD_API };
  if (ioctl(uffd, UFFDIO_API, &api) < 0) DIE("UFFDIO_API");
  struct uffdio_register reg = { .range = { (uintptr_t)m2, MB2 }, .mode = UFFDIO_REGISTER_MODE_MISSING };
  if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) DIE("UFFDIO_REGISTER");
  struct kvm_userspace_memory_region r = { .slot = 1, .guest_phys_addr = MB2, .memory_size = MB2, .userspace_addr = (uintptr_t)m2 };
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0) DIE("KVM_SET_USER_MEMORY_REGION slot 1");
  pthread_t th; pthread_create(&th, 0, uffd_handler, 0);
guest:;
  // mov rbx,0x200000; mov rcx,pages; l: mov al,[rbx]; add rbx,4096; dec rcx; jnz l; out 0x10,al
  uint8_t code[] = { 0x48, 0xbb, 0, 0, 0, 0, 0, 0, 0, 0, 0x48, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0,
                     0x8a, 0x03, 0x48, 0x81, 0xc3, 0x00, 0x10, 0x00, 0x00, 0x48, 0xff, 0xc9, 0x75, 0xf2, 0xe6, 0x10 };
  put64(code + 2, MB2); put64(code + 12, pages); memcpy(mem + CODE, code, sizeof code);
  longmode(0);
  double t = now(); int al = runto10(0); t = now() - t;
  if (!use_uffd) { printf("touch: guest read %ld fresh zero pages in %.3f s = %.1f us/page, last byte 0x%02x\n", pages, t, t / pages * 1e6, al); return; }
  printf("uffd: guest read %ld pages, handler served %ld faults, last byte read 0x%02x (expect 0x%02x), %.3f s = %.1f us/fault -> %s\n",
         pages, __atomic_load_n(&faults, __ATOMIC_SEQ_CST), al, (int)(pages & 255), t, t / pages * 1e6, al == (int)(pages & 255) && faults == pages ? "OK" : "MISMATCH");
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "loop";
  long n = argc > 2 ? atol(argv[2]) : 100000000;
  setup();
  if (!strcmp(mode, "loop")) loop(n, 0);
  else if (!strcmp(mode, "real")) loop(n, 1);
  else if (!strcmp(mode, "exits")) exits(n);
  else if (!strcmp(mode, "uffd")) uffdtest(n > 512 ? 512 : n, 1);
  else if (!strcmp(mode, "touch")) uffdtest(n > 512 ? 512 : n, 0);
  else { fprintf(stderr, "unknown mode %s\n", mode); return 2; }
  return 0;
}
