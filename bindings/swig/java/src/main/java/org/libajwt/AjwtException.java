package org.libajwt;

/** A libajwt call failed; {@link #status()} tells why (the C ABI's ajwt_status). */
public class AjwtException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    /** Called by the JNI layer with the ajwt_status value and the library's message. */
    public AjwtException(int code, String message) {
        super(Status.fromCode(code) + ": " + message);
        this.code = code;
    }

    /** A failure of Java code the library called back, e.g. a checked exception of a nonce store. */
    AjwtException(int code, String message, Throwable cause) {
        super(Status.fromCode(code) + ": " + message, cause);
        this.code = code;
    }

    public Status status() { return Status.fromCode(code); }

    /** The raw ajwt_status value. */
    public int code() { return code; }

    /**
     * True when the request itself is at fault (a 401 for an HTTP server: bad or missing
     * token, unknown user, replay, ...); false for a failure on the server's side (internal
     * or out-of-memory error, a failing callback, a full nonce store, a bad argument), which
     * is a 500.
     */
    public boolean isClientError() {
        switch (status()) {
            case CALLBACK_FAILED:
            case INTERNAL:
            case OUT_OF_MEMORY:
            case NONCE_STORE_FULL:
            case INVALID_ARGUMENT:
            case UNKNOWN:
                return false;
            default:
                return true;
        }
    }
}
