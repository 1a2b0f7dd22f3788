package dev.jettison.vmm.boot;

/** Test images for other packages' tests. */
public final class BzImageTestSupport {
    private BzImageTestSupport() {}

    public static byte[] minimalImage() { return BzImageTest.image(4096); }
}
