package org.libajwt.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libajwt.AjwtException;
import org.libajwt.Key;
import org.libajwt.KeyType;
import org.libajwt.Status;
import org.libajwt.Token;
import org.libajwt.Verifier;

/** SigningHttpClient against a loopback server that records what arrives. */
class SigningHttpClientTest {
    /** One received request: its Authorization header, method, target and body. */
    record Received(String authorization, String method, String target, byte[] body) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Key alice;

    @BeforeEach
    void start() throws Exception {
        alice = Key.generate(KeyType.ED25519);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            received.add(new Received(exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        alice.close();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    private String token(Received r) {
        assertNotNull(r.authorization());
        assertTrue(r.authorization().startsWith("JWT "), r.authorization());
        return r.authorization().substring(4);
    }

    @Test
    void signsEachCallWithAFreshToken() throws Exception {
        long now = 1_700_000_000L;
        HttpClient client = SigningHttpClient.builder(HttpClient.newHttpClient(), alice, "alice").clock(() -> now).build();
        // A caller-set Authorization header is replaced, not duplicated.
        HttpRequest request = HttpRequest.newBuilder(uri("/a")).header("Authorization", "Basic eA==").build();
        client.send(request, HttpResponse.BodyHandlers.discarding());
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).join();
        assertEquals(2, received.size());
        String first = token(received.get(0)), second = token(received.get(1));
        assertNotEquals(first, second);
        try (Key pub = alice.publicKey(); Verifier v = new Verifier()) {
            for (String t : List.of(first, second)) {
                assertEquals("alice", v.verifiedUsername(t, pub, now));
            }
            try (Token a = v.parse(first); Token b = v.parse(second)) {
                assertNotEquals(a.nonce(), b.nonce());
            }
        }
    }

    @Test
    void boundTokenMatchesTheRequestAsReceived() throws Exception {
        long now = 1_700_000_000L;
        HttpClient client = SigningHttpClient.builder(HttpClient.newHttpClient(), alice, "alice")
                .clock(() -> now).bindRequests("svc-b", 1024).build();
        client.send(HttpRequest.newBuilder(uri("/items?q=a%20b"))
                .PUT(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.discarding());
        Received r = received.get(0);
        assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), r.body());
        try (Key pub = alice.publicKey();
             Verifier v = new Verifier().binding(Verifier.Binding.REQUIRED, "svc-b");
             Token t = v.parse(token(r))) {
            v.verifyRequest(t, pub, now, r.method(), r.target(), r.body());
            AjwtException e = assertThrows(AjwtException.class,
                    () -> v.verifyRequest(t, pub, now, r.method(), r.target(), "other".getBytes(StandardCharsets.UTF_8)));
            assertEquals(Status.BINDING_BODY, e.status());
        }
    }

    @Test
    void boundBodyOfUnknownLengthOrOverTheCapIsRefusedBeforeSending() {
        HttpClient client = SigningHttpClient.builder(HttpClient.newHttpClient(), alice, "alice")
                .bindRequests(null, 4).build();
        HttpRequest streamed = HttpRequest.newBuilder(uri("/s"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[3]))).build();
        assertThrows(IllegalArgumentException.class, () -> client.send(streamed, HttpResponse.BodyHandlers.discarding()));
        HttpRequest large = HttpRequest.newBuilder(uri("/s")).POST(HttpRequest.BodyPublishers.ofString("12345")).build();
        assertThrows(IllegalArgumentException.class, () -> client.send(large, HttpResponse.BodyHandlers.discarding()));
        assertEquals(List.of(), received);
    }

    @Test
    void publicKeyCannotSign() {
        try (Key pub = alice.publicKey()) {
            assertThrows(IllegalArgumentException.class,
                    () -> SigningHttpClient.builder(HttpClient.newHttpClient(), pub, "alice"));
        }
    }
}
