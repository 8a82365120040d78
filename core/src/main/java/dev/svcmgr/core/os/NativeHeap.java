package dev.svcmgr.core.os;

/**
 * The C heap of the manager's own process (the JVM's, glibc's malloc).
 *
 * <p>What the JVM frees there, glibc keeps for later mallocs, in the arena of the thread that had it:
 * after a boot of 1,000 services, ~3 MiB that HotSpot's compiler threads used for their arenas and
 * gave back (their pooled chunks are freed within 5 s). {@link #trim} returns such free memory to the
 * kernel ({@code malloc_trim(0)}, which also releases the free pages inside each arena). Where the C
 * library has no {@code malloc_trim} (musl), it does nothing.
 */
public final class NativeHeap {
    private NativeHeap() {}

    private static volatile boolean available = true;

    /** Returns the C heap's free memory to the kernel; true when the C library has the call. */
    public static boolean trim() {
        if (!available) return false;
        try {
            Native.C.malloc_trim(0);
            return true;
        } catch (LinkageError | RuntimeException e) {
            available = false;
            return false;
        }
    }
}
