package org.libajwt;

import org.libajwt.internal.ajwt_key_type;

/** Key types (ajwt_key_type). */
public enum KeyType {
    RSA(ajwt_key_type.AJWT_KEY_RSA),
    ED25519(ajwt_key_type.AJWT_KEY_ED25519),
    ED448(ajwt_key_type.AJWT_KEY_ED448),
    EC_P256(ajwt_key_type.AJWT_KEY_EC_P256),
    EC_P384(ajwt_key_type.AJWT_KEY_EC_P384),
    EC_P521(ajwt_key_type.AJWT_KEY_EC_P521);

    final int code;

    KeyType(int code) { this.code = code; }

    static KeyType fromCode(int code) {
        for (KeyType t : values()) {
            if (t.code == code) return t;
        }
        throw new IllegalStateException("unknown key type " + code);
    }
}
