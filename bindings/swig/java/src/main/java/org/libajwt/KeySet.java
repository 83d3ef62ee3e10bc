package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

import java.util.ArrayList;
import java.util.List;

/** A set of public keys (ajwt_keyset), e.g. a parsed JWKS. Fill it, then share it for reading. */
public final class KeySet extends Handle {
    KeySet(long ptr) {
        super(ptr, org.libajwt.internal.AjwtNative::ajwt_keyset_free);
    }

    public KeySet() {
        this(newSet());
    }

    private static long newSet() {
        long[] out = new long[1];
        ajwt_keyset_new(out);
        return out[0];
    }

    /** Parses a JWK Set document; unusable members are skipped (see skippedReasons()). */
    public static KeySet parseJwks(String json) {
        long[] out = new long[1];
        ajwt_keyset_parse_jwks(Bytes.required(json, "json"), out);
        return new KeySet(out[0]);
    }

    /** Adds a reference to a public key (the set keeps it alive; the Key may be closed). */
    public KeySet add(Key key) {
        ajwt_keyset_add(ptr(), key.ptr());
        return this;
    }

    public KeySet addText(String text) { return addText(text, KeyFormat.ANY); }

    public KeySet addText(String text, KeyFormat format) {
        ajwt_keyset_add_text(ptr(), Bytes.required(text, "text"), format.code);
        return this;
    }

    public KeySet addJwks(String json) {
        ajwt_keyset_add_jwks(ptr(), Bytes.required(json, "json"));
        return this;
    }

    public int size() { return (int) ajwt_keyset_count(ptr()); }

    /** Member i as a new Key reference (close it). */
    public Key get(int index) {
        long borrowed = ajwt_keyset_get(ptr(), index);
        if (borrowed == 0) throw new IndexOutOfBoundsException("index " + index + ", size " + size());
        return ownedCopy(borrowed);
    }

    /** The member whose kid (JWK kid, else fingerprint) matches, as a new Key, or null. */
    public Key find(String kid) {
        long borrowed = ajwt_keyset_find(ptr(), Bytes.required(kid, "kid"));
        return borrowed == 0 ? null : ownedCopy(borrowed);
    }

    /** Why each skipped JWKS member was skipped. */
    public List<String> skippedReasons() {
        long n = ajwt_keyset_skipped_count(ptr());
        List<String> reasons = new ArrayList<>();
        for (long i = 0; i < n; i++) reasons.add(ajwt_keyset_skipped_reason(ptr(), i));
        return reasons;
    }

    /** The set as a JWK Set document. */
    public String toJwks() {
        byte[][] out = new byte[1][];
        ajwt_keyset_to_jwks(ptr(), out);
        return Bytes.string(out[0]);
    }

    /** Members are public keys, so ajwt_key_public returns another reference to the same key. */
    static Key ownedCopy(long borrowed) {
        long[] out = new long[1];
        ajwt_key_public(borrowed, out);
        return new Key(out[0]);
    }
}
