package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keys, JWK/JWKS, signing, parsing, verification and the nonce store through org.libajwt. */
class ApiTest {
    private static final long NOW = 1_700_000_000L;
    private static Key ed;
    private static Key rsa;
    private static Key edPub;
    private static Key rsaPub;

    @BeforeAll
    static void keys() {
        ed = Key.generate(KeyType.ED25519);
        rsa = Key.generate(KeyType.RSA);
        edPub = ed.publicKey();
        rsaPub = rsa.publicKey();
    }

    @AfterAll
    static void closeKeys() {
        ed.close();
        rsa.close();
        edPub.close();
        rsaPub.close();
    }

    @Test
    void version() {
        assertEquals("0.1.0", Ajwt.version());
        assertTrue(Math.abs(Ajwt.now() - System.currentTimeMillis() / 1000) < 5);
        String text = Ajwt.describe(Status.BAD_SIGNATURE);
        assertFalse(text.isEmpty());
        assertNotEquals(Ajwt.describe(Status.OK), text);
    }

    @Test
    void generatedKeys() {
        assertEquals(KeyType.ED25519, ed.type());
        assertTrue(ed.isPrivate());
        assertEquals(256, ed.bits());
        assertEquals(List.of(Alg.EDDSA), ed.algorithms());
        assertEquals(KeyType.RSA, rsa.type());
        assertEquals(2048, rsa.bits());
        assertEquals(List.of(Alg.RS512, Alg.RS384, Alg.RS256), rsa.algorithms());
        assertTrue(rsa.supports(Alg.PS256));
        assertFalse(ed.supports(Alg.RS256));
        assertTrue(ed.fingerprint().matches("[0-9a-f]{64}"));
        assertNotEquals(ed.fingerprint(), rsa.fingerprint());
    }

    @Test
    void exportAndReload() {
        try (Key pem = Key.loadPublic(rsa.toPublicPem(), KeyFormat.PEM);
             Key ssh = Key.loadPublic(rsa.toOpenSsh(), KeyFormat.OPENSSH);
             Key jwk = Key.loadPublic(rsa.toJwk(), KeyFormat.JWK)) {
            for (Key k : new Key[] {pem, ssh, jwk}) {
                assertFalse(k.isPrivate());
                assertTrue(k.samePublicKey(rsa));
                assertEquals(rsa.fingerprint(), k.fingerprint());
            }
        }
        JsonObject jwk = JsonParser.parseString(ed.toJwk()).getAsJsonObject();
        assertEquals("OKP", jwk.get("kty").getAsString());
        assertEquals("Ed25519", jwk.get("crv").getAsString());
    }

    @Test
    void encryptedPkcs8() {
        String pem = ed.toPkcs8("s3cret");
        assertTrue(pem.contains("ENCRYPTED PRIVATE KEY"));
        try (Key back = Key.loadPrivate(pem, "s3cret")) {
            assertTrue(back.samePublicKey(ed));
        }
        AjwtException wrong = assertThrows(AjwtException.class, () -> Key.loadPrivate(pem, "nope").close());
        assertEquals(Status.WRONG_PASSWORD, wrong.status());
        assertEquals(Status.WRONG_PASSWORD.code(), wrong.code());
        try (Key plain = Key.loadPrivate(ed.toPkcs8(null))) {
            assertTrue(plain.samePublicKey(ed));
        }
    }

    @Test
    void publicKeyCannotSignOrExportPrivate() {
        try (Key pub = ed.publicKey()) {
            assertEquals(Status.NOT_PRIVATE_KEY, assertThrows(AjwtException.class, () -> pub.sign("u", NOW, "n")).status());
            assertEquals(Status.NOT_PRIVATE_KEY, assertThrows(AjwtException.class, () -> pub.toPkcs8(null)).status());
        }
    }

    @Test
    void garbageKeyGivesStatusNotCrash() {
        AjwtException e = assertThrows(AjwtException.class, () -> Key.loadPublic("not a key").close());
        assertEquals(Status.KEY_PARSE, e.status());
        assertTrue(e.getMessage().startsWith("KEY_PARSE: "), e.getMessage());
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        Key k = ed.publicKey();
        k.close();
        k.close();
        assertThrows(IllegalStateException.class, k::fingerprint);
    }

    @Test
    void signParseVerify() {
        String token = ed.sign("alice", NOW, "n-1");
        try (Token t = Token.parse(token); Verifier v = new Verifier(); Key pub = ed.publicKey()) {
            assertEquals("alice", t.username());
            assertEquals("n-1", t.nonce());
            assertEquals(NOW, t.time());
            assertEquals(Alg.EDDSA, t.alg());
            assertEquals(ed.fingerprint(), t.kid());
            v.verify(t, pub, NOW + 20);
            assertEquals(Status.TOKEN_EXPIRED, assertThrows(AjwtException.class, () -> v.verify(t, pub, NOW + 21)).status());
            assertEquals(Status.TOKEN_FROM_FUTURE, assertThrows(AjwtException.class, () -> v.verify(t, pub, NOW - 21)).status());
            // An Ed25519 token checked with an RSA key: EdDSA is not an RSA algorithm.
            assertEquals(Status.ALGORITHM_NOT_ALLOWED, assertThrows(AjwtException.class, () -> v.verify(t, rsa, NOW)).status());
            v.tolerance(100);
            v.verify(t, pub, NOW + 100);
        }
        assertEquals("alice", Token.claimedUsername(token));
    }

    @Test
    void unicodeClaimsRoundTrip() {
        String user = "j\u00fcrgen-\uD83D\uDE00";
        String token = rsa.sign(user, NOW, "\u00e9");
        try (Token t = Token.parse(token)) {
            assertEquals(user, t.username());
            assertEquals("\u00e9", t.nonce());
            assertEquals(Alg.RS512, t.alg());
        }
    }

    @Test
    void tamperedTokenFails() {
        String token = rsa.sign("bob", NOW, "x");
        String[] p = token.split("\\.");
        String forged = rsa.sign("mallory", NOW, "x").split("\\.")[1];
        try (Verifier v = new Verifier()) {
            AjwtException e = assertThrows(AjwtException.class,
                    () -> v.verifiedUsername(p[0] + "." + forged + "." + p[2], rsa, NOW));
            assertEquals(Status.BAD_SIGNATURE, e.status());
        }
    }

    @Test
    void malformedTokens() {
        assertEquals(Status.TOKEN_FORMAT, assertThrows(AjwtException.class, () -> Token.parse("a.b").close()).status());
        assertEquals(Status.TOKEN_TOO_LARGE,
                assertThrows(AjwtException.class, () -> Token.parse("a".repeat(9000)).close()).status());
        try (Verifier v = new Verifier().maxTokenSize(64)) {
            assertEquals(Status.TOKEN_TOO_LARGE,
                    assertThrows(AjwtException.class, () -> v.parse(rsa.sign("u", NOW, "n")).close()).status());
        }
    }

    @Test
    void algorithmPolicy() {
        String ps = rsa.sign("u", NOW, "n", Alg.PS256);
        try (Verifier v = new Verifier(); Token t = v.parse(ps)) {
            assertEquals(Alg.PS256, t.alg());
            assertEquals(Status.ALGORITHM_NOT_ALLOWED, assertThrows(AjwtException.class, () -> v.verify(t, rsa, NOW)).status());
            v.algorithms(Alg.PS256, Alg.RS512);
            v.verify(t, rsa, NOW);
        }
    }

    @Test
    void keySetAndJwks() {
        try (KeySet privateRefused = new KeySet()) {
            assertEquals(Status.PRIVATE_KEY_GIVEN,
                    assertThrows(AjwtException.class, () -> privateRefused.add(rsa)).status());
        }
        try (KeySet set = new KeySet().add(rsaPub).addText(ed.toOpenSsh())) {
            assertEquals(2, set.size());
            try (Key found = set.find(ed.fingerprint())) {
                assertNotNull(found);
                assertTrue(found.samePublicKey(ed));
                assertFalse(found.isPrivate());
            }
            assertNull(set.find("nope"));
            String jwks = set.toJwks();
            try (KeySet back = KeySet.parseJwks(jwks)) {
                assertEquals(2, back.size());
                assertTrue(back.skippedReasons().isEmpty());
                try (Key first = back.get(0)) {
                    assertTrue(first.samePublicKey(rsa));
                }
                assertThrows(IndexOutOfBoundsException.class, () -> back.get(2));
            }
        }
        String withJunk = "{\"keys\":[" + ed.toJwk() + ",{\"kty\":\"XYZ\"}]}";
        try (KeySet set = KeySet.parseJwks(withJunk)) {
            assertEquals(1, set.size());
            assertEquals(1, set.skippedReasons().size());
        }
        assertEquals(Status.JWKS_PARSE, assertThrows(AjwtException.class, () -> KeySet.parseJwks("[]").close()).status());
    }

    @Test
    void verifyWithKeySetReturnsTheKeyThatVerified() {
        String token = ed.sign("carol", NOW, "k");
        try (KeySet set = new KeySet().add(rsaPub).add(edPub); Verifier v = new Verifier(); Token t = v.parse(token);
             Key used = v.verify(t, set, NOW)) {
            assertTrue(used.samePublicKey(ed));
        }
        try (KeySet only = new KeySet().add(rsaPub); Verifier v = new Verifier(); Token t = v.parse(token)) {
            AjwtException e = assertThrows(AjwtException.class, () -> v.verify(t, only, NOW).close());
            assertNotEquals(Status.OK, e.status());
        }
    }

    @Test
    void nonceStoreRefusesReplay() {
        try (NonceStore store = NonceStore.memory(); Verifier v = new Verifier()) {
            v.nonceStore(store);
            String token = ed.sign("dave", NOW, "once");
            assertEquals("dave", v.verifiedUsername(token, ed, NOW));
            AjwtException e = assertThrows(AjwtException.class, () -> v.verifiedUsername(token, ed, NOW));
            assertEquals(Status.NONCE_REPLAYED, e.status());
            assertEquals(1, store.size());
            // Same nonce, another second: a different entry.
            assertEquals("dave", v.verifiedUsername(ed.sign("dave", NOW + 1, "once"), ed, NOW));
        }
    }

    @Test
    void nonceStoreDirectlyAndItsCap() {
        try (NonceStore store = NonceStore.memory(40, 2)) {
            store.checkAndRecord("u", NOW, "a", NOW);
            assertEquals(Status.NONCE_REPLAYED,
                    assertThrows(AjwtException.class, () -> store.checkAndRecord("u", NOW, "a", NOW)).status());
            store.checkAndRecord("u", NOW, "b", NOW);
            assertEquals(Status.NONCE_STORE_FULL,
                    assertThrows(AjwtException.class, () -> store.checkAndRecord("u", NOW, "c", NOW)).status());
        }
    }

    @Test
    void verifierKeepsStoreAliveAfterClose() {
        NonceStore store = NonceStore.memory();
        try (Verifier v = new Verifier().nonceStore(store)) {
            store.close();
            String token = ed.sign("erin", NOW, "z");
            v.verifiedUsername(token, ed, NOW);
            assertEquals(Status.NONCE_REPLAYED,
                    assertThrows(AjwtException.class, () -> v.verifiedUsername(token, ed, NOW)).status());
        }
    }

    @Test
    void concurrentReplayHasExactlyOneWinner() throws Exception {
        String token = ed.sign("frank", NOW, "race");
        try (NonceStore store = NonceStore.memory(); Verifier v = new Verifier().nonceStore(store)) {
            int threads = 8;
            java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger replayed = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            Thread[] ts = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                ts[i] = new Thread(() -> {
                    try {
                        start.await();
                        v.verifiedUsername(token, ed, NOW);
                        ok.incrementAndGet();
                    } catch (AjwtException e) {
                        if (e.status() == Status.NONCE_REPLAYED) replayed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                ts[i].start();
            }
            start.countDown();
            for (Thread t : ts) t.join();
            assertEquals(1, ok.get());
            assertEquals(threads - 1, replayed.get());
        }
    }

    @Test
    void randomNonces() {
        String a = Ajwt.generateNonce();
        assertTrue(a.matches("[A-Za-z0-9_-]{11}"), a);
        assertNotEquals(a, Ajwt.generateNonce());
    }

    @Test
    void authorizationHeader() {
        assertEquals("JWT abc.def.ghi", Ajwt.authHeader("abc.def.ghi"));
        assertEquals("Bearer abc.def.ghi", Ajwt.authHeader("Bearer", "abc.def.ghi"));
    }

    @Test
    void rawSignatureCheck() {
        assertFalse(ed.verifySignature(Alg.EDDSA, "m".getBytes(), new byte[64]));
    }
}
