package org.libajwt.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.libajwt.Ajwt;
import org.libajwt.Key;

/**
 * A {@link HttpClient} that signs every request it sends with a fresh token (new time and nonce
 * per call, so a retried or repeated request is never a replay): the request's Authorization
 * header becomes {@code JWT <token>}, signed as {@code username} with a private {@link Key}.
 * Everything else (connection pool, proxy, TLS, redirects) is the wrapped client's.
 *
 * <pre>
 *   HttpClient http = SigningHttpClient.builder(HttpClient.newHttpClient(), key, "alice").build();
 *   HttpResponse&lt;String&gt; r = http.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
 * </pre>
 *
 * <p>With {@link Builder#bindRequests} the token is also bound to the request's method, target
 * and body (and an audience): the body must then be one the client can read twice and of known
 * length (e.g. {@code BodyPublishers.ofString / ofByteArray / noBody}), at most
 * {@link Builder#bindRequests maxBodyBytes}.
 */
public final class SigningHttpClient extends HttpClient {
    private final HttpClient client;
    private final Key key;
    private final String username;
    private final LongSupplier clock;
    private final boolean bind;
    private final String audience;
    private final long maxBoundBody;

    private SigningHttpClient(Builder b) {
        this.client = b.client;
        this.key = b.key;
        this.username = b.username;
        this.clock = b.clock;
        this.bind = b.bind;
        this.audience = b.audience;
        this.maxBoundBody = b.maxBoundBody;
    }

    /**
     * Signs the requests {@code client} sends as {@code username} with {@code privateKey} (kept
     * open by the caller for as long as this client is used).
     */
    public static Builder builder(HttpClient client, Key privateKey, String username) {
        return new Builder(client, privateKey, username);
    }

    /** Options of a {@link SigningHttpClient}. */
    public static final class Builder {
        private final HttpClient client;
        private final Key key;
        private final String username;
        private LongSupplier clock = Ajwt::now;
        private boolean bind;
        private String audience;
        private long maxBoundBody;

        private Builder(HttpClient client, Key key, String username) {
            this.client = Objects.requireNonNull(client, "client");
            this.key = Objects.requireNonNull(key, "privateKey");
            this.username = Objects.requireNonNull(username, "username");
            if (!key.isPrivate()) throw new IllegalArgumentException("signing needs a private key");
        }

        /** Unix seconds for the token's time claim (default: the system clock). */
        public Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Binds each token to its request (method, target, body of at most maxBodyBytes) and,
         * when audience is not null, to that service (docs/request-binding.md).
         */
        public Builder bindRequests(String audience, long maxBodyBytes) {
            if (maxBodyBytes < 0) throw new IllegalArgumentException("maxBodyBytes < 0");
            this.bind = true;
            this.audience = audience;
            this.maxBoundBody = maxBodyBytes;
            return this;
        }

        public SigningHttpClient build() {
            return new SigningHttpClient(this);
        }
    }

    /** A copy of {@code request} with a freshly signed Authorization header (replacing any). */
    public HttpRequest sign(HttpRequest request) {
        long now = clock.getAsLong();
        String nonce = Ajwt.generateNonce();
        String token = bind
                ? key.signRequest(username, now, nonce, null, request.method(), request.uri().toString(),
                        body(request), audience)
                : key.sign(username, now, nonce);
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
                .header("Authorization", Ajwt.authHeader(token))
                .build();
    }

    /** The bytes the request will send, for the body binding; empty for none. */
    private byte[] body(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty()) return new byte[0];
        long length = publisher.get().contentLength();
        if (length < 0 || length > maxBoundBody) {
            throw new IllegalArgumentException("a bound body must have a known length of at most " + maxBoundBody
                    + " bytes (got " + length + ")");
        }
        BodyCollector collector = new BodyCollector((int) length);
        publisher.get().subscribe(collector);
        return collector.bytes.join();
    }

    /** Reads a (re-subscribable) body publisher into one array. */
    private static final class BodyCollector implements Flow.Subscriber<ByteBuffer> {
        final CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        private final ByteBuffer buffer;

        BodyCollector(int length) {
            this.buffer = ByteBuffer.allocate(length);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) { subscription.request(Long.MAX_VALUE); }

        @Override
        public void onNext(ByteBuffer item) {
            if (item.remaining() > buffer.remaining()) {
                bytes.completeExceptionally(new IllegalStateException("body longer than its content length"));
                return;
            }
            buffer.put(item);
        }

        @Override
        public void onError(Throwable t) { bytes.completeExceptionally(t); }

        @Override
        public void onComplete() {
            if (buffer.hasRemaining()) {
                bytes.completeExceptionally(new IllegalStateException("body shorter than its content length"));
            } else {
                bytes.complete(buffer.array());
            }
        }
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return client.send(sign(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return client.sendAsync(sign(request), handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return client.sendAsync(sign(request), handler, pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() { return client.cookieHandler(); }

    @Override
    public Optional<Duration> connectTimeout() { return client.connectTimeout(); }

    @Override
    public Redirect followRedirects() { return client.followRedirects(); }

    @Override
    public Optional<ProxySelector> proxy() { return client.proxy(); }

    @Override
    public SSLContext sslContext() { return client.sslContext(); }

    @Override
    public SSLParameters sslParameters() { return client.sslParameters(); }

    @Override
    public Optional<Authenticator> authenticator() { return client.authenticator(); }

    @Override
    public Version version() { return client.version(); }

    @Override
    public Optional<Executor> executor() { return client.executor(); }
}
