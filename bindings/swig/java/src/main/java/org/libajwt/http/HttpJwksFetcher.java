package org.libajwt.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.libajwt.JwksCache;

/**
 * The JWKS cache's HTTP GET over java.net.http: one deadline for the whole fetch (connect,
 * headers and body), no redirects, at most the cache's body cap (+1 byte) read. Proxy and TLS
 * settings are the given HttpClient's.
 *
 * <pre>
 *   JwksCache cache = new JwksCache(new HttpJwksFetcher()).ttl(Duration.ofMinutes(5));
 * </pre>
 */
public final class HttpJwksFetcher implements JwksCache.Fetcher {
    private final HttpClient client;

    /** A client of its own that follows no redirect. */
    public HttpJwksFetcher() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
    }

    /** Over {@code client} (its redirect policy applies; the library expects none followed). */
    public HttpJwksFetcher(HttpClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public JwksCache.Response get(String url, Duration timeout, long maxBodyBytes) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        CompletableFuture<HttpResponse<byte[]>> response =
                client.sendAsync(request, info -> new CappedBody(maxBodyBytes + 1));
        try {
            HttpResponse<byte[]> r = response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new JwksCache.Response(r.statusCode(), r.body());
        } finally {
            response.cancel(true);
        }
    }

    /** Collects at most {@code limit} body bytes, then stops reading. */
    static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final long limit;
        private Flow.Subscription subscription;

        CappedBody(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() { return result; }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = (int) Math.min(item.remaining(), limit - out.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                out.write(chunk, 0, take);
                if (out.size() >= limit) {
                    subscription.cancel();
                    result.complete(out.toByteArray());
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) { result.completeExceptionally(t); }

        @Override
        public void onComplete() { result.complete(out.toByteArray()); }
    }
}
