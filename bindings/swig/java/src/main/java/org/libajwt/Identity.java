package org.libajwt;

/**
 * An authenticated request ({@link Authenticator#authenticateIdentity}): the verified claims
 * and the user's key that verified them. close() releases the key.
 */
public final class Identity implements AutoCloseable {
    private final String username;
    private final long time;
    private final String nonce;
    private final String kid;
    private final Key key;

    Identity(Token token, Key key) {
        this.username = token.username();
        this.time = token.time();
        this.nonce = token.nonce();
        this.kid = token.kid();
        this.key = key;
    }

    public String username() { return username; }

    /** The token's time claim (Unix seconds). */
    public long time() { return time; }

    public String nonce() { return nonce; }

    /** The token header's kid, or null when it has none. */
    public String kid() { return kid; }

    /** The key that verified the token (a public key; valid until close()). */
    public Key key() { return key; }

    @Override
    public void close() { key.close(); }
}
