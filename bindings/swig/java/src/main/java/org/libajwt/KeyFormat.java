package org.libajwt;

import org.libajwt.internal.ajwt_key_format;

/** Public key text formats (ajwt_key_format); ANY tries PEM, OpenSSH, then JWK. */
public enum KeyFormat {
    ANY(ajwt_key_format.AJWT_FORMAT_ANY),
    PEM(ajwt_key_format.AJWT_FORMAT_PEM),
    OPENSSH(ajwt_key_format.AJWT_FORMAT_OPENSSH),
    JWK(ajwt_key_format.AJWT_FORMAT_JWK);

    final int code;

    KeyFormat(int code) { this.code = code; }
}
