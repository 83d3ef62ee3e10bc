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

    public Status status() { return Status.fromCode(code); }

    /** The raw ajwt_status value. */
    public int code() { return code; }
}
