package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

/**
 * A parsed, not yet trusted token (ajwt_token): structure and claim types are checked, the
 * signature and time are not (use Verifier). Immutable; close() it when done.
 */
public final class Token extends Handle {
    Token(long ptr) {
        super(ptr, org.libajwt.internal.AjwtNative::ajwt_token_free);
    }

    /** Parses a compact token with the default size cap. */
    public static Token parse(String token) {
        return parse(token, 0);
    }

    /** Parses a compact token; maxSize 0 = the default cap (8192 bytes). */
    public static Token parse(String token, long maxSize) {
        long[] out = new long[1];
        ajwt_token_parse(Bytes.required(token, "token"), maxSize, out);
        return new Token(out[0]);
    }

    /** The claimed (unverified) username of a token, without keeping the parsed token. */
    public static String claimedUsername(String token) {
        try (Token t = parse(token)) {
            return t.username();
        }
    }

    public String username() { return Bytes.string(ajwt_token_username(ptr())); }

    public String nonce() { return Bytes.string(ajwt_token_nonce(ptr())); }

    public long time() { return ajwt_token_time(ptr()); }

    /** The time claim as sent, fraction included (only {@link Verifier.Compat#V1X} accepts one). */
    public double exactTime() { return ajwt_token_time_exact(ptr()); }

    /** The header alg, or null when libajwt does not know it. */
    public Alg alg() { return Alg.fromCode(ajwt_token_alg(ptr())); }

    /** The header kid, or null when the header has none. */
    public String kid() { return Bytes.string(ajwt_token_kid(ptr())); }
}
