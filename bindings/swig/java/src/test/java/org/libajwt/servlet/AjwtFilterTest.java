package org.libajwt.servlet;

import static org.junit.jupiter.api.Assertions.*;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libajwt.Authenticator;
import org.libajwt.Key;
import org.libajwt.KeyType;
import org.libajwt.NonceStore;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;
import org.libajwt.http.SigningHttpClient;

/** AjwtFilter in a real Tomcat over loopback, called by SigningHttpClient and by a plain HttpClient. */
class AjwtFilterTest {
    /** Answers with what the filter handed on: principal, attribute, remote user, auth type, body. */
    static final class EchoServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            resp.setContentType("text/plain");
            resp.getWriter().print((req.getUserPrincipal() == null ? "-" : req.getUserPrincipal().getName())
                    + "|" + req.getAttribute(AjwtFilter.USER_ATTRIBUTE) + "|" + req.getRemoteUser() + "|"
                    + req.getAuthType() + "|" + body);
        }
    }

    private final HttpClient plain = HttpClient.newHttpClient();
    private Key alice;
    private Key mallory;
    private Verifier verifier;
    private Authenticator authenticator;
    private LogCapture log;
    private EmbeddedTomcat server;

    private final UserRepository registry = new UserRepository() {
        @Override
        public boolean userExists(String username) {
            return username.equals("alice") || username.equals("broken");
        }

        @Override
        public List<String> publicKeys(String username, String kid) {
            if (username.equals("broken")) throw new IllegalStateException("key database down");
            return List.of(alice.toPublicPem());
        }
    };

    @BeforeEach
    void start() {
        alice = Key.generate(KeyType.ED25519);
        mallory = Key.generate(KeyType.ED25519);
        log = new LogCapture(AjwtFilter.class);
    }

    private void serve(Verifier.Binding binding, Integer maxBody) {
        try (NonceStore nonces = NonceStore.memory()) {
            verifier = new Verifier().nonceStore(nonces).binding(binding, null);
        }
        authenticator = new Authenticator(verifier, registry);
        AjwtFilter.Builder filter = AjwtFilter.builder(authenticator);
        if (maxBody != null) filter.bindBody(maxBody);
        server = new EmbeddedTomcat(new EchoServlet(), filter.build(), "/api/*");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (authenticator != null) authenticator.close();
        if (verifier != null) verifier.close();
        log.close();
        alice.close();
        mallory.close();
    }

    private SigningHttpClient signing(Key key, String username) {
        return SigningHttpClient.builder(plain, key, username).build();
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void assertRefused(HttpResponse<String> response, String reason) {
        assertEquals(401, response.statusCode(), response.body());
        assertEquals(List.of("JWT"), response.headers().allValues("WWW-Authenticate"));
        assertEquals(1, log.lines().size(), log.lines().toString());
        assertTrue(log.lines().get(0).contains(reason), log.lines().get(0));
        log.clear();
    }

    @Test
    void acceptsSignedRequestWithUserAsPrincipalAndAttribute() throws Exception {
        serve(Verifier.Binding.OFF, null);
        HttpResponse<String> r = send(signing(alice, "alice"), HttpRequest.newBuilder(server.uri("/api/x?a=1")).build());
        assertEquals(200, r.statusCode());
        assertEquals("alice|alice|alice|JWT|", r.body());
        assertEquals(List.of(), log.lines());
    }

    @Test
    void pathsOutsideTheFilterStayOpen() throws Exception {
        serve(Verifier.Binding.OFF, null);
        HttpResponse<String> r = send(plain, HttpRequest.newBuilder(server.uri("/health")).build());
        assertEquals(200, r.statusCode());
        assertEquals("-|null|null|null|", r.body());
    }

    @Test
    void refusesMissingHeader() throws Exception {
        serve(Verifier.Binding.OFF, null);
        assertRefused(send(plain, HttpRequest.newBuilder(server.uri("/api/x")).build()), "NO_AUTH_HEADER");
        HttpResponse<String> bearer = send(plain, HttpRequest.newBuilder(server.uri("/api/x"))
                .header("Authorization", "Bearer abc.def.ghi").build());
        assertFalse(log.lines().get(0).contains("claimed user"), log.lines().toString());
        assertFalse(log.lines().get(0).contains("abc.def.ghi"), log.lines().toString());
        assertRefused(bearer, "WRONG_AUTH_METHOD");
    }

    @Test
    void refusesReplayAndNeverLogsTheToken() throws Exception {
        serve(Verifier.Binding.OFF, null);
        HttpRequest signed = signing(alice, "alice").sign(HttpRequest.newBuilder(server.uri("/api/x")).build());
        String token = signed.headers().firstValue("Authorization").orElseThrow().substring(4);
        assertEquals(200, send(plain, signed).statusCode());
        HttpResponse<String> replay = send(plain, signed);
        String line = log.lines().get(0);
        assertRefused(replay, "NONCE_REPLAYED");
        for (String part : token.split("\\.")) assertFalse(line.contains(part), line);
    }

    @Test
    void refusesWrongKeyAndUnknownUser() throws Exception {
        serve(Verifier.Binding.OFF, null);
        assertRefused(send(signing(mallory, "alice"), HttpRequest.newBuilder(server.uri("/api/x")).build()),
                "BAD_SIGNATURE");
        HttpResponse<String> unknown = send(signing(alice, "carol \"x\""), HttpRequest.newBuilder(server.uri("/api/x")).build());
        assertTrue(log.lines().get(0).endsWith("(claimed user \"carol \\\"x\\\"\")"), log.lines().toString());
        assertRefused(unknown, "UNKNOWN_USER");
    }

    @Test
    void repositoryFailureFailsClosedWithWarning() throws Exception {
        serve(Verifier.Binding.OFF, null);
        HttpResponse<String> r = send(signing(alice, "broken"), HttpRequest.newBuilder(server.uri("/api/x")).build());
        assertEquals(Level.WARNING, log.records().get(0).getLevel());
        assertRefused(r, "key database down");
    }

    @Test
    void boundBodyStaysReadableForTheServlet() throws Exception {
        serve(Verifier.Binding.REQUIRED, 1024);
        HttpClient bound = SigningHttpClient.builder(plain, alice, "alice").bindRequests(null, 1024).build();
        HttpRequest post = HttpRequest.newBuilder(server.uri("/api/items?x=%7e"))
                .POST(HttpRequest.BodyPublishers.ofString("hello body")).build();
        HttpResponse<String> r = send(bound, post);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("alice|alice|alice|JWT|hello body", r.body());
        assertEquals(200, send(bound, HttpRequest.newBuilder(server.uri("/api/items")).build()).statusCode());
    }

    @Test
    void boundRequestRefusedWhenBodyOrTargetDiffer() throws Exception {
        serve(Verifier.Binding.REQUIRED, 1024);
        SigningHttpClient bound = SigningHttpClient.builder(plain, alice, "alice").bindRequests(null, 1024).build();
        HttpRequest signed = bound.sign(HttpRequest.newBuilder(server.uri("/api/items"))
                .POST(HttpRequest.BodyPublishers.ofString("pay 10")).build());
        HttpRequest tampered = HttpRequest.newBuilder(signed, (n, v) -> true)
                .POST(HttpRequest.BodyPublishers.ofString("pay 99")).build();
        assertRefused(send(plain, tampered), "BINDING_BODY");
        HttpRequest elsewhere = HttpRequest.newBuilder(server.uri("/api/other"))
                .header("Authorization", signed.headers().firstValue("Authorization").orElseThrow())
                .POST(HttpRequest.BodyPublishers.ofString("pay 10")).build();
        assertRefused(send(plain, elsewhere), "BINDING_TARGET");
        // Unbound token under REQUIRED.
        assertRefused(send(signing(alice, "alice"), HttpRequest.newBuilder(server.uri("/api/items")).build()),
                "BINDING_REQUIRED");
    }

    @Test
    void bodyOverTheCapIs413() throws Exception {
        serve(Verifier.Binding.REQUIRED, 16);
        HttpClient bound = SigningHttpClient.builder(plain, alice, "alice").bindRequests(null, 1024).build();
        HttpResponse<String> r = send(bound, HttpRequest.newBuilder(server.uri("/api/items"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(17))).build());
        assertEquals(413, r.statusCode());
        assertTrue(log.lines().get(0).contains("body larger than 16 bytes"), log.lines().toString());
    }

    @Test
    void logLineEscapesRequestText() {
        assertEquals("\"a\\\"b\\u000a\\u001bc\"", LogText.quote("a\"b\n\u001bc"));
        String longText = LogText.escape("x".repeat(10_000));
        assertEquals(LogText.MAX_CHARS + 3, longText.length());
    }
}
