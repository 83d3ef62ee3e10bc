package org.libajwt;

import java.util.List;

/**
 * The server's users and their registered public keys, for {@link Authenticator}. Only
 * {@link #publicKeys} is required. Methods are called on the thread that calls
 * authenticate(), concurrently when requests are authenticated concurrently.
 *
 * <p>An exception thrown here never crosses the C library: the request fails (closed) and
 * authenticate() rethrows it.
 */
public interface UserRepository {
    /** Whether the claimed user exists (default: every user does; keys decide). */
    default boolean userExists(String username) {
        return true;
    }

    /**
     * The user's public keys as text (PEM, OpenSSH or JWK), or a JWK Set document each.
     * {@code kid} (null when the token has none) is a hint; returning all keys is always correct.
     */
    List<String> publicKeys(String username, String kid);

    /**
     * A second source, asked only when {@link #publicKeys} gave no key matching the token's
     * {@code kid}: JWK Set documents from the user's trusted JWKS endpoints, fetched (and
     * ideally cached) by the application. Default: none (then the library does not ask).
     */
    default List<String> jwks(String username, String kid) {
        return List.of();
    }

    /**
     * The JWKS URLs the user trusts, for the authenticator's {@link JwksCache} (see
     * {@link Authenticator#jwksCache}): asked, like {@link #jwks}, only for a token whose kid
     * the user's other keys lack. Default: none.
     */
    default List<String> jwksUrls(String username) {
        return List.of();
    }

    /**
     * Told which of the user's keys verified a request, e.g. to record "last used". {@code key}
     * is closed when this returns (keep {@code key.publicKey()} or {@code key.fingerprint()}).
     * Throwing makes authenticate() throw too, although the token was valid and its nonce is
     * recorded. Default: nothing (then the library does not call back).
     */
    default void keyUsed(String username, Key key) {}
}
