package org.libajwt;

import org.libajwt.internal.ajwt_status;

/**
 * How an exception thrown by Java code the C library calls back (a {@link UserRepository},
 * a {@link NonceStore.Backend}) reaches the application without ever unwinding through C.
 *
 * <p>The bridge catches it, records it for the current thread and returns
 * AJWT_ERR_CALLBACK_FAILED, which fails the operation closed in the library. When the native
 * call returns, {@link #call} rethrows the recorded exception on the same thread: a
 * RuntimeException or Error as it is, a checked exception wrapped in an AjwtException with
 * status CALLBACK_FAILED. Callbacks run on the thread that called into the library, so a
 * thread-local is exact.
 */
final class Callbacks {
    private static final ThreadLocal<Throwable> FAILURE = new ThreadLocal<>();

    private Callbacks() {}

    /** For bridges: records the first failure of the current native call; the status to return. */
    static int failed(Throwable t) {
        if (FAILURE.get() == null) FAILURE.set(t);
        return ajwt_status.AJWT_ERR_CALLBACK_FAILED;
    }

    /** Runs a native call that may call back into Java, rethrowing a callback's exception. */
    static void call(Runnable nativeCall) {
        // A call from inside a callback (unusual, but legal) must not lose the outer failure.
        Throwable outer = FAILURE.get();
        FAILURE.remove();
        try {
            nativeCall.run();
        } catch (AjwtException e) {
            Throwable failure = take(outer);
            if (failure == null) throw e;
            throw rethrowable(failure);
        }
        // A void callback (key used) cannot fail the native call: fail closed here instead.
        Throwable failure = take(outer);
        if (failure != null) throw rethrowable(failure);
    }

    private static Throwable take(Throwable outer) {
        Throwable t = FAILURE.get();
        if (outer == null) {
            FAILURE.remove();
        } else {
            FAILURE.set(outer);
        }
        return t;
    }

    private static RuntimeException rethrowable(Throwable t) {
        if (t instanceof RuntimeException) return (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        return new AjwtException(Status.CALLBACK_FAILED.code(), "callback threw " + t, t);
    }
}
