package org.libajwt;

/** Stable status codes of the C ABI (ajwt_status); values never change meaning. */
public enum Status {
    OK(0),
    INVALID_ARGUMENT(1),
    OUT_OF_MEMORY(2),
    INTERNAL(3),
    CALLBACK_FAILED(4),
    KEY_PARSE(10),
    KEY_UNSUPPORTED(11),
    KEY_TOO_SMALL(12),
    KEY_TOO_LARGE(13),
    PASSWORD_REQUIRED(14),
    WRONG_PASSWORD(15),
    ENCRYPTED_OPENSSH_KEY(16),
    NOT_PRIVATE_KEY(17),
    PRIVATE_KEY_GIVEN(18),
    JWKS_PARSE(19),
    JWKS_FETCH(20),
    TOKEN_TOO_LARGE(30),
    TOKEN_FORMAT(31),
    TOKEN_BASE64(32),
    TOKEN_JSON(33),
    TOKEN_HEADER(34),
    TOKEN_CLAIMS(35),
    TOKEN_TIME(36),
    ALGORITHM_NOT_ALLOWED(40),
    BAD_SIGNATURE(41),
    TOKEN_EXPIRED(42),
    TOKEN_FROM_FUTURE(43),
    NONCE_REPLAYED(44),
    NONCE_STORE_FULL(45),
    NO_AUTH_HEADER(50),
    WRONG_AUTH_METHOD(51),
    UNKNOWN_USER(52),
    NO_MATCHING_KEY(53),
    TOKEN_EXP_PASSED(60),
    TOKEN_NOT_YET_VALID(61),
    TOKEN_IAT_FUTURE(62),
    TOKEN_AUDIENCE(63),
    TOKEN_REGISTERED_CLAIM(64),
    BINDING_METHOD(80),
    BINDING_TARGET(81),
    BINDING_BODY(82),
    BINDING_AUDIENCE(83),
    BINDING_REQUIRED(84),
    /** A value this binding does not know (a newer library). */
    UNKNOWN(-1);

    private final int code;

    Status(int code) { this.code = code; }

    public int code() { return code; }

    public static Status fromCode(int code) {
        for (Status s : values()) {
            if (s.code == code) return s;
        }
        return UNKNOWN;
    }
}
