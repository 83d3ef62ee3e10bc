package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

import org.libajwt.internal.ajwt_nonce_backend;
import org.libajwt.internal.ajwt_status;

/**
 * Where verified nonces are recorded so that a replayed token is refused: the built-in
 * in-memory store ({@link #memory()}: thread-safe, check-and-record is atomic) or one
 * implemented in Java ({@link #callback(Backend)}, e.g. over Redis or a database shared by
 * several servers). A Verifier or Authenticator holding the store keeps it alive after
 * close().
 */
public final class NonceStore extends Handle {
    /**
     * A nonce store implemented in Java. The library calls {@link #checkAndRecord} for every
     * token that passed its signature and time checks, from whichever thread is verifying,
     * concurrently when requests are verified concurrently.
     */
    @FunctionalInterface
    public interface Backend {
        /**
         * Atomically records (username, time, nonce): true if it was new, false if it was
         * recorded before (the token is refused with {@link Status#NONCE_REPLAYED}). Must be
         * atomic across threads (and across servers sharing the store), e.g.
         * {@code map.putIfAbsent(key, ...) == null} or SET NX. An entry must be kept at least
         * as long as the verifier's tolerance window on either side of {@code time}.
         *
         * <p>Throwing rejects the token (fail closed): the library gets
         * AJWT_ERR_CALLBACK_FAILED, and the Java call that verified (verify(), authenticate(),
         * checkAndRecord()) rethrows the exception (a checked one wrapped in an AjwtException
         * with {@link Status#CALLBACK_FAILED}).
         */
        boolean checkAndRecord(String username, long time, String nonce) throws Exception;

        /**
         * Called once when the last reference to the store is gone (this NonceStore and every
         * Verifier and Authenticator holding it closed), e.g. to close a connection pool.
         * Exceptions thrown here are ignored.
         */
        default void released() {}
    }

    /** SWIG director: check_and_record is the C callback, released() its destroy function. */
    private static final class Bridge extends ajwt_nonce_backend {
        private final Backend backend;

        Bridge(Backend backend) {
            this.backend = backend;
        }

        @Override
        public int check_and_record(byte[] username, long time, byte[] nonce) {
            try {
                return backend.checkAndRecord(Bytes.string(username), time, Bytes.string(nonce))
                        ? ajwt_status.AJWT_OK : ajwt_status.AJWT_ERR_NONCE_REPLAYED;
            } catch (Throwable t) {
                return Callbacks.failed(t);
            }
        }

        @Override
        public void released() {
            try {
                backend.released();
            } catch (Throwable ignored) {
                // Runs inside a free function: nobody to report to.
            }
        }
    }

    NonceStore(long ptr) {
        super(ptr, org.libajwt.internal.AjwtNative::ajwt_nonce_store_free);
    }

    /** Defaults: entries live 41 s, at most 1,000,000 of them. */
    public static NonceStore memory() {
        return memory(0, 0);
    }

    /** ttlSeconds 0 = 41; maxEntries 0 = 1,000,000 (beyond it: Status.NONCE_STORE_FULL); about 80 bytes each. */
    public static NonceStore memory(long ttlSeconds, long maxEntries) {
        return memory(ttlSeconds, maxEntries, 0);
    }

    /**
     * As {@link #memory(long, long)}, and one username may hold at most {@code maxEntriesPerUser}
     * live entries (0 = no cap of its own; above maxEntries: Status.INVALID_ARGUMENT): beyond it
     * that user's new nonces get Status.NONCE_STORE_FULL while other users' still pass.
     */
    public static NonceStore memory(long ttlSeconds, long maxEntries, long maxEntriesPerUser) {
        long[] out = new long[1];
        ajwt_nonce_store_new_memory_with_user_cap(ttlSeconds, maxEntries, maxEntriesPerUser, out);
        return new NonceStore(out[0]);
    }

    /** A store whose check-and-record is {@code backend} (see {@link Backend}). */
    public static NonceStore callback(Backend backend) {
        if (backend == null) throw new NullPointerException("backend");
        Bridge bridge = new Bridge(backend);
        // The C store owns the director from here on; the director holds a strong reference
        // to the bridge until the store's last reference goes (then released(), then delete).
        bridge.swigReleaseOwnership();
        long[] out = new long[1];
        ajwt_nonce_store_new_backend(bridge, out);
        return new NonceStore(out[0]);
    }

    /**
     * Records (username, time, nonce); AjwtException with Status.NONCE_REPLAYED if seen
     * before. {@code now} drives the memory store's expiry (a Backend keeps its own clock).
     */
    public void checkAndRecord(String username, long time, String nonce, long now) {
        byte[] user = Bytes.required(username, "username");
        byte[] value = Bytes.required(nonce, "nonce");
        long store = ptr();
        Callbacks.call(() -> ajwt_nonce_store_check_and_record(store, user, time, value, now));
    }

    /** Live entries of a memory store (0 for a callback store). */
    public long size() { return ajwt_nonce_store_size(ptr()); }
}
