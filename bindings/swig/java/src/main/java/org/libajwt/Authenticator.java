package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

import java.lang.ref.Reference;
import java.util.List;
import java.util.function.LongConsumer;
import org.libajwt.internal.ajwt_repository;
import org.libajwt.internal.ajwt_status;

/**
 * The whole server-side flow over a {@link UserRepository}: Authorization header → method
 * word → claimed username → user exists → signature (kid first, then the user's JWKS) → time
 * window → nonce store → key used. Configure, then authenticate() may be called from several
 * threads.
 */
public final class Authenticator extends Handle {
    /** SWIG director: the C library calls these; they call the repository. */
    private static final class Bridge extends ajwt_repository {
        private final UserRepository repo;

        Bridge(UserRepository repo) {
            this.repo = repo;
        }

        @Override
        public int user_exists(byte[] username) {
            try {
                return repo.userExists(Bytes.string(username)) ? ajwt_status.AJWT_OK : ajwt_status.AJWT_ERR_UNKNOWN_USER;
            } catch (Throwable t) {
                return Callbacks.failed(t);
            }
        }

        @Override
        public int user_keys(byte[] username, byte[] kid, long out) {
            try {
                addAll(out, repo.publicKeys(Bytes.string(username), Bytes.string(kid)), false);
                return ajwt_status.AJWT_OK;
            } catch (Throwable t) {
                return Callbacks.failed(t);
            }
        }

        @Override
        public int user_jwks(byte[] username, byte[] kid, long out) {
            try {
                addAll(out, repo.jwks(Bytes.string(username), Bytes.string(kid)), true);
                return ajwt_status.AJWT_OK;
            } catch (Throwable t) {
                return Callbacks.failed(t);
            }
        }

        @Override
        public void key_used(byte[] username, long key) {
            // The C key is borrowed for this call: hand the repository its own reference.
            try (Key used = KeySet.ownedCopy(key)) {
                repo.keyUsed(Bytes.string(username), used);
            } catch (Throwable t) {
                Callbacks.failed(t);
            }
        }

        @Override
        public int user_jwks_urls(byte[] username, long out) {
            try {
                List<String> urls = repo.jwksUrls(Bytes.string(username));
                if (urls != null) {
                    for (String url : urls) ajwt_jwks_url_list_add(out, Bytes.required(url, "JWKS URL"));
                }
                return ajwt_status.AJWT_OK;
            } catch (Throwable t) {
                return Callbacks.failed(t);
            }
        }

        private static void addAll(long set, List<String> texts, boolean jwksOnly) {
            if (texts == null) return;
            for (String text : texts) {
                byte[] bytes = Bytes.required(text, "key text");
                if (jwksOnly || text.contains("\"keys\"")) {
                    ajwt_keyset_add_jwks(set, bytes);
                } else {
                    ajwt_keyset_add_text(set, bytes, KeyFormat.ANY.code);
                }
            }
        }
    }

    private final Bridge bridge;

    /** Takes the verifier's policy and nonce store (the verifier may be closed afterwards). */
    public Authenticator(Verifier verifier, UserRepository repository) {
        super(newAuthenticator(verifier, repository), org.libajwt.internal.AjwtNative::ajwt_authenticator_free);
        // The Java object must outlive the C authenticator, which keeps a raw pointer to it.
        bridge = new Bridge(repository);
        try {
            ajwt_authenticator_set_repository(ptr(), bridge);
            // The optional callbacks only when the repository has them: none costs nothing.
            if (overrides(repository, "jwks", String.class, String.class)) {
                ajwt_authenticator_set_repository_jwks(ptr(), bridge);
            }
            if (overrides(repository, "keyUsed", String.class, Key.class)) {
                ajwt_authenticator_set_repository_key_used(ptr(), bridge);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static boolean overrides(UserRepository repo, String method, Class<?>... params) {
        try {
            return repo.getClass().getMethod(method, params).getDeclaringClass() != UserRepository.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static long newAuthenticator(Verifier verifier, UserRepository repository) {
        if (repository == null) throw new NullPointerException("repository");
        long[] out = new long[1];
        ajwt_authenticator_new(verifier.ptr(), out);
        return out[0];
    }

    /** Frees the C authenticator (no callback runs after that), then the repository bridge. */
    @Override
    public synchronized void close() {
        super.close();
        bridge.delete();
    }

    /**
     * Keys of the users' trusted JWKS URLs ({@link UserRepository#jwksUrls}) through
     * {@code cache} (its policy and HTTP fetcher); null removes it. The authenticator keeps its
     * own reference to the cache.
     */
    public Authenticator jwksCache(JwksCache cache) {
        ajwt_authenticator_set_repository_jwks_cache(ptr(), cache == null ? 0 : cache.ptr(), bridge);
        return this;
    }

    /**
     * The username a header claims (not verified), for a log line about a refused request; null
     * when the header does not parse that far.
     */
    public String claimedUsername(String header) {
        long[] pending = new long[1];
        try {
            ajwt_authenticate_begin(ptr(), header(header), pending);
            return Bytes.string(ajwt_pending_username(pending[0]));
        } catch (AjwtException e) {
            return null;
        } finally {
            ajwt_pending_free(pending[0]);
        }
    }

    /** Method word before the token (case-insensitive); default "JWT". */
    public Authenticator method(String word) {
        ajwt_authenticator_set_method(ptr(), Bytes.required(word, "method"));
        return this;
    }

    /**
     * Authenticates an Authorization header value; returns the verified username. Throws
     * AjwtException (e.g. UNKNOWN_USER, BAD_SIGNATURE, NONCE_REPLAYED; see
     * {@link AjwtException#isClientError()}), or the exception a repository method or a
     * {@link NonceStore.Backend} threw.
     */
    public String authenticate(String header, long now) {
        long[] token = new long[1];
        run(header, now, token, null);
        try (Token t = new Token(token[0])) {
            return t.username();
        }
    }

    /** As {@link #authenticate}, with the verified claims and the key that verified them. */
    public Identity authenticateIdentity(String header, long now) {
        long[] token = new long[1];
        long[] key = new long[1];
        run(header, now, token, key);
        Key used = new Key(key[0]);
        try (Token t = new Token(token[0])) {
            return new Identity(t, used);
        } catch (RuntimeException e) {
            used.close();
            throw e;
        }
    }

    /**
     * As {@link #authenticate}, with the request the header came with (method, target as
     * received, body as received; each null = unknown) for the verifier's binding policy
     * ({@link Verifier#binding}).
     */
    public String authenticateRequest(String header, String method, String target, byte[] body, long now) {
        byte[] m = Bytes.utf8(method), tg = Bytes.utf8(target), digest = Key.sha256(body);
        long[] token = new long[1];
        byte[] h = header(header);
        run(auth -> ajwt_authenticate_request(auth, h, now, m, tg, digest, token, null), token, null);
        try (Token t = new Token(token[0])) {
            return t.username();
        }
    }

    private void run(String header, long now, long[] token, long[] key) {
        byte[] bytes = header(header);
        run(auth -> ajwt_authenticate(auth, bytes, now, token, key), token, key);
    }

    private static byte[] header(String header) {
        return Bytes.utf8(header == null ? "" : header);
    }

    /** Runs one authenticate call on this authenticator's handle, releasing its outputs on failure. */
    private void run(LongConsumer call, long[] token, long[] key) {
        long auth = ptr();
        try {
            Callbacks.call(() -> call.accept(auth));
        } catch (RuntimeException | Error e) {
            // A void callback (key used) that threw after a success: release the outputs.
            if (token[0] != 0) ajwt_token_free(token[0]);
            if (key != null && key[0] != 0) ajwt_key_free(key[0]);
            throw e;
        } finally {
            // The director (bridge) is only weakly referenced from C: keep it reachable
            // through this object until the native call is over.
            Reference.reachabilityFence(this);
        }
    }
}
