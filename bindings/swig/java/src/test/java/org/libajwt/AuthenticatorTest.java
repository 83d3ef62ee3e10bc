package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

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
}
