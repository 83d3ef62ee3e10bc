package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

import org.libajwt.internal.ajwt_repository;
import org.libajwt.internal.ajwt_status;

/**
 * The whole server-side flow over a {@link UserRepository}: Authorization header → method
 * word → claimed username → user exists → signature (kid first) → time window → nonce store.
 * Configure, then authenticate() may be called from several threads.
 */
public final class Authenticator extends Handle {
    /** SWIG director: the C library calls these; they call the repository. */
    private static final class Bridge extends ajwt_repository {
        private final UserRepository repo;
        /** An exception of the repository, rethrown by authenticate() on the same thread. */
        private final ThreadLocal<RuntimeException> failure = new ThreadLocal<>();

        Bridge(UserRepository repo) {
            this.repo = repo;
        }

        @Override
        public int user_exists(byte[] username) {
            try {
                return repo.userExists(Bytes.string(username)) ? ajwt_status.AJWT_OK : ajwt_status.AJWT_ERR_UNKNOWN_USER;
            } catch (RuntimeException e) {
                failure.set(e);
                return ajwt_status.AJWT_ERR_CALLBACK_FAILED;
            }
        }

        @Override
        public int user_keys(byte[] username, byte[] kid, long out) {
            try {
                for (String text : repo.publicKeys(Bytes.string(username), Bytes.string(kid))) {
                    byte[] bytes = Bytes.required(text, "key text");
                    if (text.contains("\"keys\"")) {
                        ajwt_keyset_add_jwks(out, bytes);
                    } else {
                        ajwt_keyset_add_text(out, bytes, KeyFormat.ANY.code);
                    }
                }
                return ajwt_status.AJWT_OK;
            } catch (RuntimeException e) {
                failure.set(e);
                return ajwt_status.AJWT_ERR_CALLBACK_FAILED;
            }
        }
    }

    private final Bridge bridge;

    /** Takes the verifier's policy and nonce store (the verifier may be closed afterwards). */
    public Authenticator(Verifier verifier, UserRepository repository) {
        super(newAuthenticator(verifier), org.libajwt.internal.AjwtNative::ajwt_authenticator_free);
        // The Java object must outlive the C authenticator, which keeps a raw pointer to it.
        bridge = new Bridge(repository);
        ajwt_authenticator_set_repository(ptr(), bridge);
    }

    private static long newAuthenticator(Verifier verifier) {
        long[] out = new long[1];
        ajwt_authenticator_new(verifier.ptr(), out);
        return out[0];
    }

    /** Frees the C authenticator, then the C++ half of the repository bridge. */
    @Override
    public void close() {
        super.close();
        bridge.delete();
    }

    /** Method word before the token (case-insensitive); default "JWT". */
    public Authenticator method(String word) {
        ajwt_authenticator_set_method(ptr(), Bytes.required(word, "method"));
        return this;
    }

    /**
     * Authenticates an Authorization header value; returns the verified username. Throws
     * AjwtException (e.g. UNKNOWN_USER, BAD_SIGNATURE, NONCE_REPLAYED), or the repository's
     * own exception if it threw one.
     */
    public String authenticate(String header, long now) {
        long[] token = new long[1];
        try {
            ajwt_authenticate(ptr(), Bytes.utf8(header == null ? "" : header), now, token, null);
        } catch (AjwtException e) {
            RuntimeException cause = bridge.failure.get();
            bridge.failure.remove();
            if (cause != null && e.status() == Status.CALLBACK_FAILED) throw cause;
            throw e;
        }
        bridge.failure.remove();
        try (Token t = new Token(token[0])) {
            return t.username();
        }
    }
}
