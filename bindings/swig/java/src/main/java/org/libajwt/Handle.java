package org.libajwt;

import java.util.function.LongConsumer;

/**
 * An owned C handle, freed deterministically by close() (use try-with-resources). close() is
 * idempotent; using a closed handle throws IllegalStateException. There is deliberately no
 * Cleaner/finalizer: one would need reachability fences around every native call to be safe,
 * and the C handles are cheap to close explicitly. Do not close a handle while another thread
 * is still using it.
 */
abstract class Handle implements AutoCloseable {
    private long ptr;
    private final LongConsumer free;

    Handle(long ptr, LongConsumer free) {
        if (ptr == 0) throw new IllegalArgumentException("null handle");
        this.ptr = ptr;
        this.free = free;
    }

    /** The live pointer; IllegalStateException after close(). */
    final synchronized long ptr() {
        if (ptr == 0) throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        return ptr;
    }

    @Override
    public synchronized void close() {
        if (ptr != 0) {
            free.accept(ptr);
            ptr = 0;
        }
    }
}
