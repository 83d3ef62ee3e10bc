package org.libajwt;

import static org.libajwt.internal.AjwtNative.*;

import java.time.Duration;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.libajwt.internal.ajwt_http_getter;
import org.libajwt.internal.ajwt_status;

/**
 * The core's JWKS cache (ajwt_jwks_cache): the policy (TTL refresh in the background, stale
 * keys served up to a max age while the endpoint fails, a cooldown per URL for unknown kids,
 * body and key caps, the fetch deadline) is the library's; the HTTP GET is a {@link Fetcher}
 * (e.g. {@code org.libajwt.http.HttpJwksFetcher} over java.net.http). Thread-safe; give it to
 * an {@link Authenticator} with {@link Authenticator#jwksCache} or ask it with {@link #keys}.
 */
public final class JwksCache extends Handle {
    private static final Logger LOG = Logger.getLogger(JwksCache.class.getName());

    /**
     * The host's blocking HTTP GET. Called from the authenticating thread and from the cache's
     * refresh thread, possibly concurrently (never twice at once for one URL).
     */
    @FunctionalInterface
    public interface Fetcher {
        /**
         * GETs {@code url} within {@code timeout} (connect to last body byte), following no
         * redirect, reading at most {@code maxBodyBytes + 1} body bytes (the cache refuses a
         * larger body; one byte more tells it so). Throws on a transport failure.
         */
        Response get(String url, Duration timeout, long maxBodyBytes) throws Exception;
    }

    /** What a {@link Fetcher} got: the HTTP status and the body bytes it read. */
    public record Response(int status, byte[] body) {
        public Response {
            Objects.requireNonNull(body, "body");
        }
    }

    /** SWIG director: the cache calls get(), which runs the fetcher and hands the result over. */
    private static final class Getter extends ajwt_http_getter {
        private final Fetcher fetcher;

        Getter(Fetcher fetcher) {
            this.fetcher = fetcher;
        }

        @Override
        public int get(byte[] url, long timeoutMs, long maxBodySize, long response) {
            String target = Bytes.string(url);
            try {
                Response r = fetcher.get(target, Duration.ofMillis(timeoutMs), maxBodySize);
                ajwt_http_response_set_status(response, r.status());
                ajwt_http_response_append(response, r.body());
                return ajwt_status.AJWT_OK;
            } catch (AjwtException e) {
                // The body was over the cache's cap: the fetch counts as failed.
                return e.code();
            } catch (Throwable t) {
                if (t instanceof InterruptedException) Thread.currentThread().interrupt();
                // A failed fetch is policy input (stale keys, then none), not an error to raise.
                LOG.log(Level.WARNING, "JWKS fetch failed: " + target + ": " + t);
                return ajwt_status.AJWT_ERR_JWKS_FETCH;
            }
        }
    }

    /** A cache with the library's defaults (TTL 300 s, max age 3600 s, cooldown 30 s, 5 s, 256 KiB, 100 keys). */
    public JwksCache(Fetcher fetcher) {
        super(newCache(), org.libajwt.internal.AjwtNative::ajwt_jwks_cache_free);
        Getter getter = new Getter(Objects.requireNonNull(fetcher, "fetcher"));
        // The C cache owns the director from here on (deleted when the cache goes).
        getter.swigReleaseOwnership();
        try {
            ajwt_jwks_cache_set_http_getter(ptr(), getter);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static long newCache() {
        long[] out = new long[1];
        ajwt_jwks_cache_new(out);
        return out[0];
    }

    /** How long a fetched set is fresh (1 s .. 30 days); then it is served while a refresh runs. */
    public JwksCache ttl(Duration ttl) {
        ajwt_jwks_cache_set_ttl(ptr(), ttl.toSeconds());
        return this;
    }

    /** How long after its fetch a set is still served while the endpoint fails. */
    public JwksCache maxAge(Duration maxAge) {
        ajwt_jwks_cache_set_max_age(ptr(), maxAge.toSeconds());
        return this;
    }

    /** Least time between two fetches of one URL asked for by unknown kids. */
    public JwksCache refreshCooldown(Duration cooldown) {
        ajwt_jwks_cache_set_refresh_cooldown(ptr(), cooldown.toSeconds());
        return this;
    }

    /** The one deadline of a fetch (given to the {@link Fetcher}). */
    public JwksCache fetchTimeout(Duration timeout) {
        ajwt_jwks_cache_set_fetch_timeout_ms(ptr(), timeout.toMillis());
        return this;
    }

    public JwksCache maxBodySize(long bytes) {
        ajwt_jwks_cache_set_max_body_size(ptr(), bytes);
        return this;
    }

    public JwksCache maxKeys(long keys) {
        ajwt_jwks_cache_set_max_keys(ptr(), keys);
        return this;
    }

    /**
     * The usable keys of {@code url} at {@code now} (only the one matching {@code kid} when it
     * is not null), fetching when the policy says so. AjwtException (JWKS_FETCH, JWKS_PARSE) when
     * this call had to fetch, the fetch failed and nothing usable is cached.
     */
    public KeySet keys(String url, String kid, long now) {
        KeySet out = new KeySet();
        try {
            ajwt_jwks_cache_keys(ptr(), Bytes.required(url, "url"), Bytes.utf8(kid), now, out.ptr());
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** Blocks until no background refresh is queued or running (tests, orderly shutdown). */
    public void waitIdle() { ajwt_jwks_cache_wait_idle(ptr()); }

    /** URLs cached (fetched or attempted). */
    public long size() { return ajwt_jwks_cache_size(ptr()); }
}
