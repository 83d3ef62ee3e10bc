package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

/** Library-wide helpers: version, clock, Authorization header. */
public final class Ajwt {
    private Ajwt() {}

    /** Runtime version of the loaded libajwt, e.g. "0.1.0". */
    public static String version() { return ajwt_version(); }

    /** System time in whole Unix seconds. */
    public static long now() { return ajwt_now(); }

    /** A fresh random nonce as upstream makes it: 8 random bytes in base64url (11 characters). */
    public static String generateNonce() {
        byte[] out = new byte[org.libajwt.internal.AjwtNativeConstants.AJWT_NONCE_SIZE];
        ajwt_generate_nonce(out);
        return new String(out, 0, out.length - 1, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The key under which a shared nonce store records a used nonce (ajwt_nonce_key): the same in
     * every binding and the Django package, so services sharing one store refuse each other's
     * replays.
     */
    public static String nonceKey(String username, long time, String nonce) {
        byte[] out = new byte[org.libajwt.internal.AjwtNativeConstants.AJWT_NONCE_KEY_SIZE + 1];
        ajwt_nonce_key(Bytes.required(username, "username"), time, Bytes.required(nonce, "nonce"), out);
        return new String(out, 0, out.length - 1, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** "JWT &lt;token&gt;". */
    public static String authHeader(String token) { return authHeader(null, token); }

    /** "&lt;method&gt; &lt;token&gt;"; method null = "JWT". */
    public static String authHeader(String method, String token) {
        byte[][] out = new byte[1][];
        ajwt_auth_header(Bytes.utf8(method), Bytes.required(token, "token"), out);
        return Bytes.string(out[0]);
    }

    /** Static English text of a status. */
    public static String describe(Status status) { return ajwt_status_str(status.code()); }
}
