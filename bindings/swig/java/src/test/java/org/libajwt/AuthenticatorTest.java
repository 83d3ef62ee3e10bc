package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The authenticator over a Java repository (SWIG directors). */
class AuthenticatorTest {
    private static final long NOW = 1_700_000_000L;

    @Test
    void wholeFlowWithJavaRepository() {
        try (Key alice = Key.generate(KeyType.ED25519); Key other = Key.generate(KeyType.ED25519);
             NonceStore store = NonceStore.memory(); Verifier v = new Verifier().nonceStore(store)) {
            Map<String, List<String>> keys = Map.of(
                    "alice", List.of(other.toOpenSsh(), "{\"keys\":[" + alice.toJwk() + "]}"),
                    "bob", List.of());
            String[] seenKid = new String[1];
            UserRepository repo = new UserRepository() {
                @Override
                public boolean userExists(String username) {
                    return keys.containsKey(username);
                }

                @Override
                public List<String> publicKeys(String username, String kid) {
                    seenKid[0] = kid;
                    return keys.get(username);
                }
            };
            try (Authenticator auth = new Authenticator(v, repo)) {
                String header = Ajwt.authHeader(alice.sign("alice", NOW, "n1"));
                assertEquals("alice", auth.authenticate(header, NOW));
                assertEquals(alice.fingerprint(), seenKid[0]);
                assertEquals(Status.NONCE_REPLAYED, assertThrows(AjwtException.class,
                        () -> auth.authenticate(header, NOW)).status());
                assertEquals(Status.UNKNOWN_USER, assertThrows(AjwtException.class,
                        () -> auth.authenticate(Ajwt.authHeader(alice.sign("carol", NOW, "n")), NOW)).status());
                AjwtException noKey = assertThrows(AjwtException.class,
                        () -> auth.authenticate(Ajwt.authHeader(alice.sign("bob", NOW, "n")), NOW));
                assertEquals(Status.NO_MATCHING_KEY, noKey.status());
                assertEquals(Status.WRONG_AUTH_METHOD, assertThrows(AjwtException.class,
                        () -> auth.authenticate("Bearer x.y.z", NOW)).status());
                assertEquals(Status.NO_AUTH_HEADER, assertThrows(AjwtException.class,
                        () -> auth.authenticate("", NOW)).status());
                assertEquals(Status.TOKEN_EXPIRED, assertThrows(AjwtException.class,
                        () -> auth.authenticate(Ajwt.authHeader(alice.sign("alice", NOW - 60, "n2")), NOW)).status());
            }
        }
    }

    @Test
    void repositoryExceptionPropagatesWithoutCrossingC() {
        try (Key k = Key.generate(KeyType.ED25519); Verifier v = new Verifier()) {
            UserRepository broken = (username, kid) -> {
                throw new IllegalStateException("database down");
            };
            try (Authenticator auth = new Authenticator(v, broken)) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> auth.authenticate(Ajwt.authHeader(k.sign("u", NOW, "n")), NOW));
                assertEquals("database down", e.getMessage());
            }
        }
    }

    @Test
    void customMethodWord() {
        try (Key k = Key.generate(KeyType.ED25519); Verifier v = new Verifier()) {
            String pem = k.toPublicPem();
            try (Authenticator auth = new Authenticator(v, (u, kid) -> List.of(pem)).method("Token")) {
                assertEquals("u", auth.authenticate(Ajwt.authHeader("Token", k.sign("u", NOW, "n")), NOW));
            }
        }
    }

    @Test
    void userJwksAskedOnlyForAKidTheRegisteredKeysLack() {
        try (Key registered = Key.generate(KeyType.ED25519); Key rotated = Key.generate(KeyType.EC_P256);
             Verifier v = new Verifier()) {
            String registeredPem = registered.toPublicPem();
            String jwks = "{\"keys\":[" + rotated.toJwk() + "]}";
            List<String> asked = Collections.synchronizedList(new ArrayList<>());
            UserRepository repo = new UserRepository() {
                @Override
                public List<String> publicKeys(String username, String kid) {
                    return List.of(registeredPem);
                }

                @Override
                public List<String> jwks(String username, String kid) {
                    asked.add(username + " " + kid);
                    return username.equals("alice") ? List.of(jwks) : List.of();
                }
            };
            try (Authenticator auth = new Authenticator(v, repo)) {
                // The registered key matches the kid: no JWKS fetch.
                assertEquals("alice", auth.authenticate(Ajwt.authHeader(registered.sign("alice", NOW, "a")), NOW));
                assertEquals(List.of(), asked);
                // A key only the user's JWKS has.
                assertEquals("alice", auth.authenticate(Ajwt.authHeader(rotated.sign("alice", NOW, "b")), NOW));
                assertEquals(List.of("alice " + rotated.fingerprint()), asked);
                // Another user's JWKS does not have it.
                assertEquals(Status.NO_MATCHING_KEY, assertThrows(AjwtException.class,
                        () -> auth.authenticate(Ajwt.authHeader(rotated.sign("bob", NOW, "c")), NOW)).status());
                assertEquals(2, asked.size());
            }
        }
    }

    @Test
    void userJwksFailureFailsClosed() {
        try (Key k = Key.generate(KeyType.ED25519); Key other = Key.generate(KeyType.ED25519); Verifier v = new Verifier()) {
            String otherPem = other.toPublicPem();
            UserRepository repo = new UserRepository() {
                @Override
                public List<String> publicKeys(String username, String kid) {
                    return List.of(otherPem);
                }

                @Override
                public List<String> jwks(String username, String kid) {
                    throw new UnsupportedOperationException("JWKS endpoint unreachable");
                }
            };
            try (Authenticator auth = new Authenticator(v, repo)) {
                assertEquals("JWKS endpoint unreachable", assertThrows(UnsupportedOperationException.class,
                        () -> auth.authenticate(Ajwt.authHeader(k.sign("u", NOW, "n")), NOW)).getMessage());
                // A document that is not a JWKS: the library's status.
                try (Authenticator bad = new Authenticator(v, new UserRepository() {
                        @Override
                        public List<String> publicKeys(String username, String kid) {
                            return List.of(otherPem);
                        }

                        @Override
                        public List<String> jwks(String username, String kid) {
                            return List.of("not json");
                        }
                    })) {
                    assertEquals(Status.JWKS_PARSE, assertThrows(AjwtException.class,
                            () -> bad.authenticate(Ajwt.authHeader(k.sign("u", NOW, "n")), NOW)).status());
                }
            }
        }
    }

    @Test
    void keyUsedIsToldWhichKeyVerified() {
        try (Key first = Key.generate(KeyType.ED25519); Key second = Key.generate(KeyType.RSA); Verifier v = new Verifier()) {
            List<String> keys = List.of(first.toOpenSsh(), second.toPublicPem());
            List<String> told = Collections.synchronizedList(new ArrayList<>());
            Key[] seen = new Key[1];
            UserRepository repo = new UserRepository() {
                @Override
                public List<String> publicKeys(String username, String kid) {
                    return keys;
                }

                @Override
                public void keyUsed(String username, Key key) {
                    assertFalse(key.isPrivate());
                    told.add(username + " " + key.fingerprint());
                    seen[0] = key;
                }
            };
            try (Authenticator auth = new Authenticator(v, repo)) {
                auth.authenticate(Ajwt.authHeader(second.sign("alice", NOW, "1")), NOW);
                auth.authenticate(Ajwt.authHeader(first.sign("bob", NOW, "2")), NOW);
                assertEquals(List.of("alice " + second.fingerprint(), "bob " + first.fingerprint()), told);
                // The key handed to the callback is closed when it returns.
                assertThrows(IllegalStateException.class, () -> seen[0].fingerprint());
                // Not told about a refused request.
                assertThrows(AjwtException.class, () -> auth.authenticate(Ajwt.authHeader(first.sign("bob", NOW - 99, "3")), NOW));
                assertEquals(2, told.size());
            }
        }
    }

    @Test
    void keyUsedExceptionFailsTheRequest() {
        try (Key k = Key.generate(KeyType.ED25519); Verifier v = new Verifier()) {
            String pem = k.toPublicPem();
            UserRepository repo = new UserRepository() {
                @Override
                public List<String> publicKeys(String username, String kid) {
                    return List.of(pem);
                }

                @Override
                public void keyUsed(String username, Key key) {
                    throw new IllegalStateException("audit log full");
                }
            };
            try (Authenticator auth = new Authenticator(v, repo)) {
                assertEquals("audit log full", assertThrows(IllegalStateException.class,
                        () -> auth.authenticate(Ajwt.authHeader(k.sign("u", NOW, "n")), NOW)).getMessage());
                assertThrows(IllegalStateException.class,
                        () -> auth.authenticateIdentity(Ajwt.authHeader(k.sign("u", NOW, "m")), NOW));
            }
        }
    }

    @Test
    void identityCarriesClaimsAndTheKeyThatVerified() {
        try (Key a = Key.generate(KeyType.ED25519); Key b = Key.generate(KeyType.EC_P384);
             NonceStore store = NonceStore.memory(); Verifier v = new Verifier().nonceStore(store)) {
            List<String> keys = List.of(a.toPublicPem(), b.toJwk());
            try (Authenticator auth = new Authenticator(v, (u, kid) -> keys)) {
                String header = Ajwt.authHeader(b.sign("alice", NOW - 3, "nonce-1"));
                Key kept;
                try (Identity id = auth.authenticateIdentity(header, NOW)) {
                    assertEquals("alice", id.username());
                    assertEquals(NOW - 3, id.time());
                    assertEquals("nonce-1", id.nonce());
                    assertEquals(b.fingerprint(), id.kid());
                    assertTrue(id.key().samePublicKey(b));
                    assertFalse(id.key().samePublicKey(a));
                    kept = id.key();
                }
                assertThrows(IllegalStateException.class, kept::fingerprint);
                assertEquals(Status.NONCE_REPLAYED, assertThrows(AjwtException.class,
                        () -> auth.authenticateIdentity(header, NOW)).status());
            }
        }
    }

    @Test
    void clientErrorsAreTheRequestsFault() {
        try (Key k = Key.generate(KeyType.ED25519); NonceStore full = NonceStore.memory(40, 1);
             Verifier v = new Verifier().nonceStore(full)) {
            String pem = k.toPublicPem();
            try (Authenticator auth = new Authenticator(v, (u, kid) -> List.of(pem))) {
                auth.authenticate(Ajwt.authHeader(k.sign("u", NOW, "1")), NOW);
                AjwtException replay = assertThrows(AjwtException.class,
                        () -> auth.authenticate(Ajwt.authHeader(k.sign("u", NOW, "1")), NOW));
                assertTrue(replay.isClientError());
                AjwtException storeFull = assertThrows(AjwtException.class,
                        () -> auth.authenticate(Ajwt.authHeader(k.sign("u", NOW, "2")), NOW));
                assertEquals(Status.NONCE_STORE_FULL, storeFull.status());
                assertFalse(storeFull.isClientError());
                assertTrue(assertThrows(AjwtException.class, () -> auth.authenticate("JWT x", NOW)).isClientError());
            }
        }
    }

    @Test
    void nullRepositoryRefused() {
        try (Verifier v = new Verifier()) {
            assertThrows(NullPointerException.class, () -> new Authenticator(v, null));
        }
    }
}
