package dev.jettison.migration.cownetdisk;

/** Where a block's current content lives on the server (§4: "a bitmap is used to identify the valid slice"). */
public enum BlockState {
    /** Only on the desktop: the first access fetches it. */
    ABSENT,
    /** Fetched from the desktop into the read-only slice, unchanged since. */
    FETCHED,
    /** Written on the server: lives in the dirty slice and goes back at reintegration. */
    DIRTY
}
