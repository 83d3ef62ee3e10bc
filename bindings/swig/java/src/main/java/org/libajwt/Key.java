package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

import java.util.ArrayList;
import java.util.List;
import org.libajwt.internal.AjwtNativeConstants;
import org.libajwt.internal.ajwt_alg;
import org.libajwt.internal.ajwt_export_format;

/**
 * A public or private key (ajwt_key). Immutable and safe to share between threads; close() it
 * when done. Public keys loaded from text are cached by the library, so loading the same text
 * twice is cheap.
 */
public final class Key extends Handle {
    Key(long ptr) {
        super(ptr, org.libajwt.internal.AjwtNative::ajwt_key_free);
    }

    /** Loads a public key: PEM SPKI or PKCS#1, OpenSSH one-liner, or JWK. */
    public static Key loadPublic(String text) {
        return loadPublic(text, KeyFormat.ANY);
    }

    public static Key loadPublic(String text, KeyFormat format) {
        long[] out = new long[1];
        ajwt_key_load_public(Bytes.required(text, "text"), format.code, out);
        return new Key(out[0]);
    }

    /** Loads an unencrypted private key (PKCS#8, traditional PEM, OPENSSH PRIVATE KEY). */
    public static Key loadPrivate(String text) {
        return loadPrivate(text, null);
    }

    /** Loads a private key; password null for an unencrypted one. */
    public static Key loadPrivate(String text, String password) {
        long[] out = new long[1];
        ajwt_key_load_private(Bytes.required(text, "text"), Bytes.utf8(password), out);
        return new Key(out[0]);
    }

    /** Generates a private key (RSA: 2048 bits, exponent 65537). */
    public static Key generate(KeyType type) {
        return generate(type, 0);
    }

    /** Generates a private key; rsaBits (0 = 2048) is used for RSA only. */
    public static Key generate(KeyType type, int rsaBits) {
        long[] out = new long[1];
        ajwt_key_generate(type.code, rsaBits, 0, out);
        return new Key(out[0]);
    }

    /** The public half as a new Key (close it too). */
    public Key publicKey() {
        long[] out = new long[1];
        ajwt_key_public(ptr(), out);
        return new Key(out[0]);
    }

    public KeyType type() { return KeyType.fromCode(ajwt_key_get_type(ptr())); }

    public boolean isPrivate() { return ajwt_key_is_private(ptr()) == 1; }

    public int bits() { return (int) ajwt_key_bits(ptr()); }

    /** The comment of an OpenSSH key, "" if none. */
    public String comment() {
        String c = Bytes.string(ajwt_key_comment(ptr()));
        return c == null ? "" : c;
    }

    /** Lowercase hex SHA-256 of the canonical PEM SPKI text: the token kid. */
    public String fingerprint() {
        byte[] out = new byte[AjwtNativeConstants.AJWT_FINGERPRINT_SIZE];
        ajwt_key_fingerprint(ptr(), out);
        return new String(out, 0, AjwtNativeConstants.AJWT_FINGERPRINT_SIZE - 1, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The key's default algorithms, most preferred first. */
    public List<Alg> algorithms() {
        int[] codes = new int[16];
        long n = ajwt_key_algorithms(ptr(), codes);
        List<Alg> algs = new ArrayList<>();
        for (int i = 0; i < Math.min(n, codes.length); i++) algs.add(Alg.fromCode(codes[i]));
        return algs;
    }

    /** True when alg can be used with this key's type at all. */
    public boolean supports(Alg alg) { return ajwt_key_supports_alg(ptr(), alg.code) == 1; }

    /** Canonical PEM SubjectPublicKeyInfo (the fingerprinted text). */
    public String toPublicPem() { return export(ajwt_export_format.AJWT_EXPORT_PUBLIC_PEM, null); }

    /** "ssh-... AAAA... comment", one line. */
    public String toOpenSsh() { return export(ajwt_export_format.AJWT_EXPORT_PUBLIC_OPENSSH, null); }

    /** The public key as a compact JWK (members as in asymmetric-jwt-auth 1.x). */
    public String toJwk() { return export(ajwt_export_format.AJWT_EXPORT_PUBLIC_JWK, null); }

    /** PKCS#8 PEM of a private key; encrypted (AES-256-CBC, PBKDF2) when password is not null. */
    public String toPkcs8(String password) { return export(ajwt_export_format.AJWT_EXPORT_PRIVATE_PKCS8, password); }

    private String export(int format, String password) {
        byte[][] out = new byte[1][];
        ajwt_key_export(ptr(), format, Bytes.utf8(password), out);
        return Bytes.string(out[0]);
    }

    /** True when both keys hold the same public key. */
    public boolean samePublicKey(Key other) { return ajwt_key_equal(ptr(), other.ptr()) == 1; }

    /** Signs {username, time, nonce} with the key's preferred algorithm. */
    public String sign(String username, long time, String nonce) {
        return sign(username, time, nonce, null);
    }

    /** Signs {username, time, nonce}; alg null = the key's preferred algorithm. */
    public String sign(String username, long time, String nonce, Alg alg) {
        byte[][] out = new byte[1][];
        ajwt_sign(ptr(), Bytes.required(username, "username"), time, Bytes.required(nonce, "nonce"),
                alg == null ? ajwt_alg.AJWT_ALG_UNKNOWN : alg.code, out);
        return Bytes.string(out[0]);
    }

    /**
     * Signs a token bound to a request (ajwt_sign_request); alg null = the key's preferred
     * algorithm; each of method, target, body (the bytes as sent) and audience that is not null is bound.
     */
    public String signRequest(String username, long time, String nonce, Alg alg, String method, String target,
                              byte[] body, String audience) {
        byte[][] out = new byte[1][];
        ajwt_sign_request(ptr(), Bytes.required(username, "username"), time, Bytes.required(nonce, "nonce"),
                alg == null ? ajwt_alg.AJWT_ALG_UNKNOWN : alg.code, Bytes.utf8(method), Bytes.utf8(target),
                sha256(body), Bytes.utf8(audience), out);
        return Bytes.string(out[0]);
    }

    /** SHA-256 of a body, null for null (not bound / unknown). */
    static byte[] sha256(byte[] body) {
        if (body == null) return null;
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(body);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Raw signature check (the primitive tokens use); false for a bad signature. */
    public boolean verifySignature(Alg alg, byte[] message, byte[] signature) {
        try {
            ajwt_signature_verify(ptr(), alg.code, message, signature);
            return true;
        } catch (AjwtException e) {
            if (e.status() == Status.BAD_SIGNATURE) return false;
            throw e;
        }
    }
}
