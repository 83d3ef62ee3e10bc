package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Request binding: the shared vectors (tests/vectors/binding) and tampered requests. */
class BindingVectorsTest {

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static int statusOf(Runnable verify) {
        try {
            verify.run();
            return 0;
        } catch (AjwtException e) {
            return e.status().code();
        }
    }

    @Test
    void sharedVectors() throws Exception {
        String json = Files.readString(Vectors.dir().resolve("binding/request-binding.json"), StandardCharsets.UTF_8);
        JsonObject v = JsonParser.parseString(json).getAsJsonObject();
        long now = v.get("now").getAsLong();
        int count = 0;
        try (Key key = Key.loadPublic(v.get("public_key").getAsString())) {
            for (JsonElement e : v.getAsJsonArray("cases")) {
                JsonObject c = e.getAsJsonObject();
                JsonObject request = c.getAsJsonObject("request");
                String policy = c.get("policy").getAsString();
                Verifier.Binding binding = policy.equals("off") ? Verifier.Binding.OFF
                        : policy.equals("when-present") ? Verifier.Binding.WHEN_PRESENT : Verifier.Binding.REQUIRED;
                String body = text(request, "body");
                try (Verifier verifier = new Verifier().binding(binding, text(c, "audience"));
                     Token token = verifier.parse(c.get("token").getAsString())) {
                    int status = statusOf(() -> verifier.verifyRequest(token, key, now, text(request, "method"),
                            text(request, "target"), body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
                    assertEquals(c.get("status").getAsInt(), status, c.get("name").getAsString());
                }
                count++;
            }
        }
        assertTrue(count >= 20);
    }

    @Test
    void tamperedRequestsAreRefused() {
        long now = 1_700_000_000L;
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        try (Key key = Key.generate(KeyType.ED25519); Key pub = key.publicKey();
             Verifier verifier = new Verifier().binding(Verifier.Binding.REQUIRED, "inventory")) {
            java.util.function.Function<String[], Integer> run = (req) -> {
                String token = key.signRequest("alice", now, Ajwt.generateNonce(), null, "PUT", "/items/1?x=1", body,
                        "inventory");
                try (Token t = verifier.parse(token)) {
                    byte[] sent = req[2] == null ? body : req[2].getBytes(StandardCharsets.UTF_8);
                    return statusOf(() -> verifier.verifyRequest(t, pub, now, req[0], req[1], sent));
                }
            };
            assertEquals(0, run.apply(new String[] {"PUT", "/items/1?x=1", null}));
            assertEquals(Status.BINDING_METHOD.code(), run.apply(new String[] {"GET", "/items/1?x=1", null}));
            assertEquals(Status.BINDING_TARGET.code(), run.apply(new String[] {"PUT", "/items/2?x=1", null}));
            assertEquals(Status.BINDING_TARGET.code(), run.apply(new String[] {"PUT", "/items/1?x=2", null}));
            assertEquals(Status.BINDING_BODY.code(), run.apply(new String[] {"PUT", "/items/1?x=1", "[]"}));
            assertEquals(Status.BINDING_REQUIRED, Status.fromCode(84));
        }
    }

    @Test
    void authenticatorChecksTheRequestUnderItsVerifiersPolicy() {
        long now = 1_700_000_000L;
        byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] otherBody = "{\"n\":2}".getBytes(StandardCharsets.UTF_8);
        try (Key key = Key.generate(KeyType.ED25519);
             Verifier verifier = new Verifier().binding(Verifier.Binding.REQUIRED, null)) {
            String pem = key.toPublicPem();
            UserRepository repo = (username, kid) -> username.equals("alice") ? java.util.List.of(pem)
                    : java.util.List.of();
            try (Authenticator auth = new Authenticator(verifier, repo)) {
                String header = Ajwt.authHeader(key.signRequest("alice", now, Ajwt.generateNonce(), null, "POST",
                        "/orders?page=2", body, null));
                java.util.function.Function<Runnable, Status> refusal =
                        (call) -> assertThrows(AjwtException.class, call::run).status();
                assertEquals(Status.BINDING_METHOD,
                        refusal.apply(() -> auth.authenticateRequest(header, "PUT", "/orders?page=2", body, now)));
                assertEquals(Status.BINDING_TARGET,
                        refusal.apply(() -> auth.authenticateRequest(header, "POST", "/orders?page=3", body, now)));
                assertEquals(Status.BINDING_BODY, refusal.apply(
                        () -> auth.authenticateRequest(header, "POST", "/orders?page=2", otherBody, now)));
                assertEquals("alice", auth.authenticateRequest(header, "POST", "/orders?page=2", body, now));
                // Without the request it is unknown: the bound method cannot match.
                assertEquals(Status.BINDING_METHOD, refusal.apply(() -> auth.authenticate(header, now)));
                String unbound = Ajwt.authHeader(key.sign("alice", now, Ajwt.generateNonce()));
                assertEquals(Status.BINDING_REQUIRED, refusal.apply(
                        () -> auth.authenticateRequest(unbound, "POST", "/orders?page=2", body, now)));
            }
        }
    }
}
