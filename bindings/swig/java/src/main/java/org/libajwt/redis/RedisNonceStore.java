package org.libajwt.redis;

import java.util.Objects;
import org.libajwt.Ajwt;
import org.libajwt.NonceStore;
import org.libajwt.Verifier;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * A nonce store shared by every replica (and every language, and the Django package) through one
 * Redis: a used nonce is {@code SET <ajwt_nonce_key> 1 NX EX <ttl>}, so a token accepted by one
 * service is refused by all the others. A Redis error refuses the token (fail closed: the
 * authenticator rethrows it, the servlet filter answers 401); with a pooled client (e.g.
 * {@code RedisClient.create(uri)}) requests pass again as soon as Redis is back.
 *
 * <pre>
 *   Verifier verifier = new Verifier();
 *   try (NonceStore nonces = NonceStore.callback(RedisNonceStore.forVerifier(redis, verifier))) {
 *       verifier.nonceStore(nonces);
 *   }
 * </pre>
 *
 * The Redis client stays the caller's: it is not closed with the store.
 */
public final class RedisNonceStore implements NonceStore.Backend {
    private final UnifiedJedis redis;
    private final SetParams params;

    /** Records each nonce for {@code ttlSeconds} (at least the verifier's {@link Verifier#nonceTtl}). */
    public RedisNonceStore(UnifiedJedis redis, long ttlSeconds) {
        if (ttlSeconds < 1) throw new IllegalArgumentException("ttlSeconds < 1");
        this.redis = Objects.requireNonNull(redis, "redis");
        this.params = SetParams.setParams().nx().ex(ttlSeconds);
    }

    /** A store whose entries live as long as {@code verifier}'s tolerance needs. */
    public static RedisNonceStore forVerifier(UnifiedJedis redis, Verifier verifier) {
        return new RedisNonceStore(redis, verifier.nonceTtl());
    }

    @Override
    public boolean checkAndRecord(String username, long time, String nonce) {
        // "OK" when set; null when the key existed (NX): a replay.
        return "OK".equals(redis.set(Ajwt.nonceKey(username, time, nonce), "1", params));
    }
}
