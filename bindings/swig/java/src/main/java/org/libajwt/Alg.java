package org.libajwt;

import org.libajwt.internal.ajwt_alg;

/** JOSE signing algorithms (ajwt_alg). */
public enum Alg {
    RS256(ajwt_alg.AJWT_ALG_RS256, "RS256"),
    RS384(ajwt_alg.AJWT_ALG_RS384, "RS384"),
    RS512(ajwt_alg.AJWT_ALG_RS512, "RS512"),
    PS256(ajwt_alg.AJWT_ALG_PS256, "PS256"),
    PS384(ajwt_alg.AJWT_ALG_PS384, "PS384"),
    PS512(ajwt_alg.AJWT_ALG_PS512, "PS512"),
    ES256(ajwt_alg.AJWT_ALG_ES256, "ES256"),
    ES384(ajwt_alg.AJWT_ALG_ES384, "ES384"),
    ES512(ajwt_alg.AJWT_ALG_ES512, "ES512"),
    EDDSA(ajwt_alg.AJWT_ALG_EDDSA, "EdDSA");

    final int code;
    private final String jose;

    Alg(int code, String jose) {
        this.code = code;
        this.jose = jose;
    }

    /** The JOSE name, e.g. "RS512" or "EdDSA". */
    public String joseName() { return jose; }

    /** The algorithm with this exact JOSE name; IllegalArgumentException otherwise. */
    public static Alg fromJoseName(String name) {
        for (Alg a : values()) {
            if (a.jose.equals(name)) return a;
        }
        throw new IllegalArgumentException("unknown algorithm: " + name);
    }

    static Alg fromCode(int code) {
        for (Alg a : values()) {
            if (a.code == code) return a;
        }
        return null;
    }
}
