package org.libajwt.servlet;

/** Request-controlled text made safe for one log line: no line breaks or control characters, bounded. */
final class LogText {
    /** Longer values are cut: a log line must not grow with what a client sends. */
    static final int MAX_CHARS = 200;

    private LogText() {}

    /** {@code "text"} with quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        return "\"" + escape(text) + "\"";
    }

    static String escape(String text) {
        if (text == null) return "null";
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= MAX_CHARS) return out.append("...").toString();
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || (c >= 0x80 && c <= 0x9f)
                    || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
