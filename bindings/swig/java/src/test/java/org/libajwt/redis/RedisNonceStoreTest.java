package org.libajwt.redis;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libajwt.Ajwt;
import org.libajwt.AjwtException;
import org.libajwt.Authenticator;
import org.libajwt.Key;
import org.libajwt.KeyType;
import org.libajwt.NonceStore;
import org.libajwt.Status;
import org.libajwt.Token;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;
import org.libajwt.http.SigningHttpClient;
import org.libajwt.servlet.AjwtFilter;
import org.libajwt.servlet.EmbeddedTomcat;
import org.libajwt.servlet.LogCapture;
import redis.clients.jedis.RedisClient;

/** RedisNonceStore against a real redis-server this test starts on a free port. */
class RedisNonceStoreTest {
    private static RedisServer server;
    private static RedisClient redis;
    private static Key alice;
    private static String alicePem;

    private final UserRepository users = (username, kid) -> List.of(alicePem);

    @BeforeAll
    static void startRedis() throws Exception {
        assumeTrue(RedisServer.executable() != null,
                "SKIPPED: no redis-server on PATH (scripts/install-deps.sh services installs it)");
        server = new RedisServer();
        redis = RedisClient.create(URI.create(server.url()));
        alice = Key.generate(KeyType.ED25519);
        try (Key pub = alice.publicKey()) {
            alicePem = pub.toPublicPem();
        }
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) redis.close();
        if (server != null) server.close();
        if (alice != null) alice.close();
    }

    /** An authenticator of one "service", its nonces in the shared Redis. */
    private Authenticator service(Verifier verifier) {
        try (NonceStore nonces = NonceStore.callback(RedisNonceStore.forVerifier(redis, verifier))) {
            verifier.nonceStore(nonces);
        }
        return new Authenticator(verifier, users);
    }

    @Test
    void recordsUnderTheSharedKeyWithTheVerifiersTtl() {
        long now = Ajwt.now();
        try (Verifier v = new Verifier().tolerance(20); Authenticator auth = service(v)) {
            String token = alice.sign("alice", now, Ajwt.generateNonce());
            assertEquals("alice", auth.authenticate(Ajwt.authHeader(token), now));
            String key;
            try (Token t = Token.parse(token)) {
                key = Ajwt.nonceKey("alice", now, t.nonce());
            }
            assertEquals("1", redis.get(key));
            long ttl = redis.ttl(key);
            assertTrue(ttl > 0 && ttl <= 41, "ttl " + ttl);
            assertEquals(41, v.nonceTtl());
            assertEquals(Status.NONCE_REPLAYED, assertThrows(AjwtException.class,
                    () -> auth.authenticate(Ajwt.authHeader(token), now)).status());
        }
    }

    @Test
    void servicesSharingRedisRefuseEachOthersReplays() {
        long now = Ajwt.now();
        try (Verifier va = new Verifier(); Verifier vb = new Verifier();
             Authenticator a = service(va); Authenticator b = service(vb)) {
            String header = Ajwt.authHeader(alice.sign("alice", now, Ajwt.generateNonce()));
            assertEquals("alice", a.authenticate(header, now));
            assertEquals(Status.NONCE_REPLAYED, assertThrows(AjwtException.class,
                    () -> b.authenticate(header, now)).status());
        }
    }

    /** Answers "hello USER". */
    static final class Hello extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.getWriter().print("hello " + req.getUserPrincipal().getName());
        }
    }

    @Test
    void failsClosedWhileRedisIsDownAndRecoversWhenItIsBack() throws Exception {
        try (Verifier v = new Verifier(); Authenticator auth = service(v);
             LogCapture log = new LogCapture(AjwtFilter.class);
             EmbeddedTomcat tomcat = new EmbeddedTomcat(new Hello(), AjwtFilter.builder(auth).build(), "/*")) {
            HttpClient client = SigningHttpClient.builder(HttpClient.newHttpClient(), alice, "alice").build();
            HttpRequest hello = HttpRequest.newBuilder(tomcat.uri("/hello")).build();
            HttpResponse<String> ok = client.send(hello, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("hello alice", ok.body());

            server.stop();
            try {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> down = client.send(hello, HttpResponse.BodyHandlers.ofString());
                    assertEquals(401, down.statusCode());
                    assertEquals("JWT", down.headers().firstValue("WWW-Authenticate").orElse(null));
                }
                assertEquals(3, log.records().size());
                assertEquals(Level.WARNING, log.records().get(0).getLevel());
                assertTrue(log.lines().get(0).contains("Jedis"), log.lines().get(0));
            } finally {
                server.start();
            }
            // Pooled connections broken by the restart are dropped as they fail; then every request passes.
            int refusedAfterRestart = 0;
            HttpResponse<String> back = client.send(hello, HttpResponse.BodyHandlers.ofString());
            while (back.statusCode() == 401 && refusedAfterRestart++ < 8) {
                back = client.send(hello, HttpResponse.BodyHandlers.ofString());
            }
            assertEquals(200, back.statusCode(), "still refused after " + refusedAfterRestart + " requests");
            for (int i = 0; i < 5; i++) assertEquals(200, client.send(hello, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
