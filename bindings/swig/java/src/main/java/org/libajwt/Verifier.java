package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

/**
 * Verification policy (ajwt_verifier): tolerance, accepted algorithms, size cap, nonce store.
 * Configure first (setters are not synchronised), then share: verify() is thread-safe.
 */
public final class Verifier extends Handle {
    /** Defaults: tolerance 20 s, every key's default algorithms, 8192-byte cap, no nonce store. */
    public Verifier() {
        super(newVerifier(), org.libajwt.internal.AjwtNative::ajwt_verifier_free);
    }

    private static long newVerifier() {
        long[] out = new long[1];
        ajwt_verifier_new(out);
        return out[0];
    }

    /** |time - now| <= seconds passes; 0..86400. */
    public Verifier tolerance(long seconds) {
        ajwt_verifier_set_tolerance(ptr(), seconds);
        return this;
    }

    /** Tolerance for the registered claims exp, nbf and iat; 0..86400, default 0. */
    public Verifier leeway(long seconds) {
        ajwt_verifier_set_leeway(ptr(), seconds);
        return this;
    }

    /** Token policy (ajwt_compat). */
    public enum Compat {
        /** Only what libajwt signs (the default). */
        STRICT(org.libajwt.internal.ajwt_compat.AJWT_COMPAT_STRICT),
        /** Also what asymmetric-jwt-auth 1.x accepts: any typ, a fractional time, an integer nonce. */
        V1X(org.libajwt.internal.ajwt_compat.AJWT_COMPAT_1X);

        final int code;

        Compat(int code) { this.code = code; }
    }

    public Verifier compat(Compat compat) {
        ajwt_verifier_set_compat(ptr(), compat.code);
        return this;
    }

    /** Replaces the accepted algorithm list (non-empty). */
    public Verifier algorithms(Alg... algs) {
        int[] codes = new int[algs.length];
        for (int i = 0; i < algs.length; i++) codes[i] = algs[i].code;
        ajwt_verifier_set_algorithms(ptr(), codes);
        return this;
    }

    /** 64..1,048,576 bytes. */
    public Verifier maxTokenSize(long bytes) {
        ajwt_verifier_set_max_token_size(ptr(), bytes);
        return this;
    }

    /**
     * Seconds a shared nonce store must keep a recorded nonce for this verifier's tolerance
     * (ajwt_verifier_nonce_ttl: 2 * tolerance + 1), e.g. Redis {@code SET key 1 NX EX ttl}.
     */
    public long nonceTtl() { return ajwt_verifier_nonce_ttl(ptr()); }

    /** The verifier takes its own reference to the store; null removes it. */
    public Verifier nonceStore(NonceStore store) {
        ajwt_verifier_set_nonce_store(ptr(), store == null ? 0 : store.ptr());
        return this;
    }

    /** Request-binding policy (ajwt_binding_policy; docs/request-binding.md). */
    public enum Binding {
        /** Binding claims are ignored, as asymmetric-jwt-auth 1.x does (the default). */
        OFF(org.libajwt.internal.ajwt_binding_policy.AJWT_BINDING_OFF),
        /** Each binding claim a token carries must match the request and the audience. */
        WHEN_PRESENT(org.libajwt.internal.ajwt_binding_policy.AJWT_BINDING_WHEN_PRESENT),
        /** Method, target and body (and the audience, when one is set) must be bound. */
        REQUIRED(org.libajwt.internal.ajwt_binding_policy.AJWT_BINDING_REQUIRED);

        final int code;

        Binding(int code) { this.code = code; }
    }

    /** The request-binding policy and the audience this service answers to (null: none). */
    public Verifier binding(Binding policy, String audience) {
        ajwt_verifier_set_binding(ptr(), policy.code);
        ajwt_verifier_set_audience(ptr(), Bytes.utf8(audience));
        return this;
    }

    /**
     * As verify with one key, and the request as received for the binding policy: method,
     * target (path and query, or absolute URL) and body; each null = unknown.
     */
    public void verifyRequest(Token token, Key key, long now, String method, String target, byte[] body) {
        long verifier = ptr(), t = token.ptr(), k = key.ptr();
        byte[] m = Bytes.utf8(method), tg = Bytes.utf8(target), digest = Key.sha256(body);
        Callbacks.call(() -> ajwt_verify_request(verifier, t, k, now, m, tg, digest));
    }

    /** Parses with this verifier's size cap. */
    public Token parse(String token) {
        long[] out = new long[1];
        ajwt_verifier_parse(ptr(), Bytes.required(token, "token"), out);
        return new Token(out[0]);
    }

    /**
     * Signature with key, then time window, then the nonce store; AjwtException on failure
     * (or the exception of a {@link NonceStore.Backend} that threw).
     */
    public void verify(Token token, Key key, long now) {
        long verifier = ptr(), t = token.ptr(), k = key.ptr();
        Callbacks.call(() -> ajwt_verify(verifier, t, k, now));
    }

    /** As verify with the set (kid match first); returns the member that verified (close it). */
    public Key verify(Token token, KeySet keys, long now) {
        long[] used = new long[1];
        long verifier = ptr(), t = token.ptr(), set = keys.ptr();
        Callbacks.call(() -> ajwt_verify_keyset(verifier, t, set, now, used));
        return KeySet.ownedCopy(used[0]);
    }

    /** Parses and verifies a compact token with one key; returns the verified username. */
    public String verifiedUsername(String token, Key key, long now) {
        try (Token t = parse(token)) {
            verify(t, key, now);
            return t.username();
        }
    }
}
