package org.libajwt;

import java.util.List;

/**
 * The server's users and their registered public keys, for {@link Authenticator}. Called on
 * the thread that calls authenticate(); implementations must be thread-safe if that is.
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
}
