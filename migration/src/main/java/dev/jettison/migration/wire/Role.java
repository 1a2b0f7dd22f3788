package dev.jettison.migration.wire;

/** Which end of a partial migration sent a Hello. */
public enum Role {
    /** The desktop: owns the residue, runs memserv and diskserv. */
    DESKTOP(1),
    /** The consolidation server: runs the partial VM, memtap and cownetdisk. */
    SERVER(2);

    final int code;

    Role(int code) { this.code = code; }

    static Role ofCode(int code) {
        for (Role r : values()) if (r.code == code) return r;
        return null;
    }
}
