package org.libajwt.jwks;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libajwt.Ajwt;
import org.libajwt.AjwtException;
import org.libajwt.Authenticator;
import org.libajwt.JwksCache;
import org.libajwt.Key;
import org.libajwt.KeySet;
import org.libajwt.KeyType;
import org.libajwt.Status;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;
import org.libajwt.http.HttpJwksFetcher;

/** The core JWKS cache with HttpJwksFetcher against a real loopback JWKS endpoint. */
class JwksCacheTest {
    private static final long T = 1_700_000_000L;

    private final AtomicReference<String> document = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicLong delayMs = new AtomicLong();
    private final AtomicInteger hits = new AtomicInteger();
    private HttpServer server;
    private String url;
    private Key a;
    private Key b;

    @BeforeEach
    void start() throws Exception {
        a = Key.generate(KeyType.ED25519);
        b = Key.generate(KeyType.ED25519);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            try {
                Thread.sleep(delayMs.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = document.get().getBytes(StandardCharsets.UTF_8);
            if (status.get() == 302) exchange.getResponseHeaders().add("Location", "/elsewhere");
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool()); // a slow answer must not hold up the next
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    @AfterEach
    void stop() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
        a.close();
        b.close();
    }

    private void serve(Key... keys) {
        try (KeySet set = new KeySet()) {
            for (Key k : keys) {
                try (Key pub = k.publicKey()) {
                    set.add(pub);
                }
            }
            document.set(set.toJwks());
        }
    }

    private static String header(Key key, String user) {
        return Ajwt.authHeader(key.sign(user, T, Ajwt.generateNonce()));
    }

    @Test
    void authenticatorUsesTheUsersJwksUrlAndFollowsRotation() {
        UserRepository users = new UserRepository() {
            @Override
            public List<String> publicKeys(String username, String kid) { return List.of(); }

            @Override
            public List<String> jwksUrls(String username) { return username.equals("svc") ? List.of(url) : List.of(); }
        };
        try (JwksCache cache = new JwksCache(new HttpJwksFetcher()).ttl(Duration.ofSeconds(60))
                .refreshCooldown(Duration.ofSeconds(1));
             Verifier v = new Verifier(); Authenticator auth = new Authenticator(v, users).jwksCache(cache)) {
            serve(a);
            assertEquals("svc", auth.authenticate(header(a, "svc"), T));
            assertEquals(1, hits.get());
            assertEquals("svc", auth.authenticate(header(a, "svc"), T));
            assertEquals(1, hits.get(), "a fresh set is served from the cache");

            serve(b);
            // Rotation, one cooldown (1 s) after the last fetch: an unknown kid refreshes the set in
            // the background; the request that asked is refused, the ones after the refresh pass.
            assertEquals(Status.NO_MATCHING_KEY, assertThrows(AjwtException.class,
                    () -> auth.authenticate(header(b, "svc"), T + 1)).status());
            cache.waitIdle();
            assertEquals(2, hits.get());
            assertEquals("svc", auth.authenticate(header(b, "svc"), T + 1));
            assertEquals(Status.NO_MATCHING_KEY, assertThrows(AjwtException.class,
                    () -> auth.authenticate(header(a, "svc"), T + 2)).status());
            cache.waitIdle();
            assertEquals(Status.NO_MATCHING_KEY, assertThrows(AjwtException.class,
                    () -> auth.authenticate(header(a, "svc"), T + 2)).status(), "the old key is gone");
            // A user without JWKS URLs gets nothing from the cache.
            assertEquals(Status.NO_MATCHING_KEY, assertThrows(AjwtException.class,
                    () -> auth.authenticate(header(b, "other"), T)).status());
        }
    }

    @Test
    void refreshesAfterTtlAndServesStaleKeysWhileTheEndpointFails() {
        try (JwksCache cache = new JwksCache(new HttpJwksFetcher()).ttl(Duration.ofSeconds(1))
                .refreshCooldown(Duration.ofSeconds(1))) {
            serve(a);
            try (KeySet keys = cache.keys(url, null, T)) {
                assertEquals(1, keys.size());
            }
            serve(b);
            try (KeySet keys = cache.keys(url, b.fingerprint(), T)) {
                assertEquals(0, keys.size(), "within the cooldown: no refetch for an unknown kid");
            }
            try (KeySet stale = cache.keys(url, null, T + 2)) {
                assertEquals(1, stale.size());
            }
            cache.waitIdle(); // the background refresh the TTL asked for
            try (KeySet keys = cache.keys(url, b.fingerprint(), T + 2)) {
                assertEquals(1, keys.size());
            }
            int before = hits.get();
            status.set(500);
            try (KeySet keys = cache.keys(url, b.fingerprint(), T + 10)) {
                assertEquals(1, keys.size(), "stale keys while the endpoint fails");
            }
            cache.waitIdle();
            assertTrue(hits.get() > before, "the failing endpoint was asked");
            try (KeySet keys = cache.keys(url, b.fingerprint(), T + 20)) {
                assertEquals(1, keys.size());
            }
        }
    }

    @Test
    void oversizedBodyTimeoutAndRedirectAreFailedFetches() {
        try (JwksCache cache = new JwksCache(new HttpJwksFetcher()).maxBodySize(100)
                .fetchTimeout(Duration.ofMillis(300))) {
            serve(a, b);
            assertTrue(document.get().length() > 100);
            assertEquals(Status.JWKS_PARSE, assertThrows(AjwtException.class, () -> cache.keys(url, null, T)).status());

            document.set("{\"keys\":[]}");
            delayMs.set(3000);
            assertEquals(Status.JWKS_FETCH, assertThrows(AjwtException.class,
                    () -> cache.keys(url + "?slow", null, T)).status());
            delayMs.set(0);

            status.set(302);
            AjwtException moved = assertThrows(AjwtException.class, () -> cache.keys(url + "?moved", null, T));
            assertEquals(Status.JWKS_FETCH, moved.status());
            assertTrue(moved.getMessage().contains("302"), moved.getMessage());
        }
    }

    @Test
    void fetcherReadsAtMostOneByteOverTheCap() throws Exception {
        document.set("x".repeat(10_000));
        JwksCache.Response r = new HttpJwksFetcher().get(url, Duration.ofSeconds(5), 100);
        assertEquals(200, r.status());
        assertEquals(101, r.body().length);
    }
}
