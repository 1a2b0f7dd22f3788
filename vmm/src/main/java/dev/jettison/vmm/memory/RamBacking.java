package dev.jettison.vmm.memory;

import dev.jettison.sys.MappedRegion;

import java.nio.file.Path;

/** What holds a VM's guest RAM on the host. */
public sealed interface RamBacking {
    /** Maps {@code bytes} of guest RAM. */
    MappedRegion map(long bytes);

    /**
     * Private anonymous memory, populated on first touch and gone with the process: what a
     * consolidation server's partial VM needs (userfaultfd fills it).
     */
    record Anonymous() implements RamBacking {
        @Override
        public MappedRegion map(long bytes) {
            return MappedRegion.anonymous(bytes, "guest RAM");
        }
    }

    /**
     * A shared mapping of a file: the desktop's residue, which must outlive the desktop daemon so
     * that a restarted daemon serves the same pages (like QEMU's memory-backend-file, share=on).
     * {@code fresh} empties the file for a new boot; otherwise its contents are the guest's RAM.
     */
    record SharedFile(Path file, boolean fresh) implements RamBacking {
        @Override
        public MappedRegion map(long bytes) {
            return MappedRegion.sharedFile(file, bytes, fresh, "guest RAM");
        }
    }

    static RamBacking anonymous() {
        return new Anonymous();
    }
}
