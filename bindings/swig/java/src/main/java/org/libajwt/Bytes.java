package org.libajwt;

import java.nio.charset.StandardCharsets;

/** UTF-8 conversions between Java strings and the C ABI's (pointer, length) byte strings. */
final class Bytes {
    private Bytes() {}

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Non-null UTF-8 bytes of a required argument. */
    static byte[] required(String s, String what) {
        if (s == null) throw new NullPointerException(what);
        return utf8(s);
    }
}
