package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

/**
 * The built-in in-memory nonce store: thread-safe, check-and-record is atomic. A Verifier
 * holding the store keeps it alive after close().
 */
public final class NonceStore extends Handle {
    NonceStore(long ptr) {
        super(ptr, org.libajwt.internal.AjwtNative::ajwt_nonce_store_free);
    }

    /** Defaults: entries live 40 s, at most 1,000,000 of them. */
    public static NonceStore memory() {
        return memory(0, 0);
    }

    /** ttlSeconds 0 = 40; maxEntries 0 = 1,000,000 (beyond it: Status.NONCE_STORE_FULL). */
    public static NonceStore memory(long ttlSeconds, long maxEntries) {
        long[] out = new long[1];
        ajwt_nonce_store_new_memory(ttlSeconds, maxEntries, out);
        return new NonceStore(out[0]);
    }

    /** Records (username, time, nonce); AjwtException with Status.NONCE_REPLAYED if seen before. */
    public void checkAndRecord(String username, long time, String nonce, long now) {
        ajwt_nonce_store_check_and_record(ptr(), Bytes.required(username, "username"), time,
                Bytes.required(nonce, "nonce"), now);
    }

    /** Live entries. */
    public long size() { return ajwt_nonce_store_size(ptr()); }
}
