package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Byte-exact facts of asymmetric-jwt-auth 1.x (tests/vectors/compat) through the Java API. */
class CompatVectorsTest {

    @TestFactory
    List<DynamicTest> publicKeys() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : Vectors.compat().getAsJsonObject("public_keys").entrySet()) {
            JsonObject v = e.getValue().getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> checkPublicKey(v)));
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    private static void checkPublicKey(JsonObject v) {
        try (Key key = Key.loadPublic(v.get("text").getAsString())) {
            assertFalse(key.isPrivate());
            String type = v.get("type").getAsString();
            assertEquals(type.equals("RSA") ? KeyType.RSA : KeyType.ED25519, key.type());
            if (v.has("fingerprint")) {
                assertEquals(v.get("fingerprint").getAsString(), key.fingerprint());
            }
            if (v.has("allowed_algorithms")) {
                List<String> names = new ArrayList<>();
                for (Alg a : key.algorithms()) names.add(a.joseName());
                List<String> expected = new ArrayList<>();
                v.getAsJsonArray("allowed_algorithms").forEach(x -> expected.add(x.getAsString()));
                assertEquals(expected, names);
            }
            if (v.has("jwk")) {
                assertEquals(v.get("jwk"), JsonParser.parseString(key.toJwk()));
            }
            if (v.has("comment")) {
                assertEquals(v.get("comment").getAsString(), key.comment());
            }
        }
    }

    @TestFactory
    List<DynamicTest> invalidPublicKeysFailToLoad() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : Vectors.compat().getAsJsonObject("invalid_public_keys").entrySet()) {
            String text = e.getValue().getAsString();
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                AjwtException ex = assertThrows(AjwtException.class, () -> Key.loadPublic(text).close());
                assertEquals(Status.KEY_PARSE, ex.status(), ex.getMessage());
            }));
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    @TestFactory
    List<DynamicTest> privateKeys() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonElement> e : Vectors.compat().getAsJsonObject("private_keys").entrySet()) {
            JsonObject v = e.getValue().getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> checkPrivateKey(v)));
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    private static void checkPrivateKey(JsonObject v) {
        String password = v.get("password").isJsonNull() ? null : v.get("password").getAsString();
        try (Key key = Key.loadPrivate(v.get("text").getAsString(), password);
             Key pub = key.publicKey()) {
            assertTrue(key.isPrivate());
            if (v.has("public_pem")) {
                try (Key expected = Key.loadPublic(v.get("public_pem").getAsString())) {
                    assertTrue(pub.samePublicKey(expected));
                    assertEquals(expected.fingerprint(), key.fingerprint());
                }
            }
            if (v.has("public_openssh")) {
                try (Key expected = Key.loadPublic(v.get("public_openssh").getAsString(), KeyFormat.OPENSSH)) {
                    assertTrue(pub.samePublicKey(expected));
                }
            }
            // A token signed with the vector key verifies with its public half.
            String token = key.sign("guido", 1439216312L, "1");
            try (Verifier verifier = new Verifier()) {
                assertEquals("guido", verifier.verifiedUsername(token, pub, 1439216312L));
            }
        }
        if (password != null) {
            AjwtException missing = assertThrows(AjwtException.class,
                    () -> Key.loadPrivate(v.get("text").getAsString()).close());
            assertEquals(Status.PASSWORD_REQUIRED, missing.status());
            AjwtException wrong = assertThrows(AjwtException.class,
                    () -> Key.loadPrivate(v.get("text").getAsString(), password + "x").close());
            assertEquals(Status.WRONG_PASSWORD, wrong.status());
        }
    }

    @org.junit.jupiter.api.Test
    void tokenHeaderAndPayloadFollowUpstream() throws Exception {
        JsonObject example = Vectors.compat().getAsJsonObject("token").getAsJsonObject("payload_example");
        try (Key key = Key.generate(KeyType.ED25519)) {
            String token = key.sign(example.get("username").getAsString(), example.get("time").getAsLong(),
                    example.get("nonce").getAsString());
            String[] parts = token.split("\\.");
            assertEquals(3, parts.length);
            JsonObject header = JsonParser.parseString(new String(
                    java.util.Base64.getUrlDecoder().decode(parts[0]))).getAsJsonObject();
            assertEquals("EdDSA", header.get("alg").getAsString());
            assertEquals("JWT", header.get("typ").getAsString());
            assertEquals(key.fingerprint(), header.get("kid").getAsString());
            JsonElement payload = JsonParser.parseString(new String(java.util.Base64.getUrlDecoder().decode(parts[1])));
            assertEquals(example, payload);
            assertEquals("JWT " + token, Ajwt.authHeader(token));
        }
    }
}
