package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nonce stores implemented in Java (NonceStore.callback over ajwt_nonce_store_new_callback). */
class NonceStoreTest {
    private static final long NOW = 1_700_000_000L;
    private static Key key;

    @BeforeAll
    static void keys() { key = Key.generate(KeyType.ED25519); }

    @AfterAll
    static void closeKeys() { key.close(); }

    /** What a shared store (Redis SET NX, a unique index) does, over a concurrent map. */
    static final class MapBackend implements NonceStore.Backend {
        final Map<String, Long> seen = new ConcurrentHashMap<>();
        final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger released = new AtomicInteger();

        @Override
        public boolean checkAndRecord(String username, long time, String nonce) {
            calls.add(username + "|" + time + "|" + nonce);
            return seen.putIfAbsent(username + "\0" + time + "\0" + nonce, time) == null;
        }

        @Override
        public void released() { released.incrementAndGet(); }
    }

    @Test
    void replayRefusedThroughJavaMapBackedStore() {
        MapBackend backend = new MapBackend();
        try (NonceStore store = NonceStore.callback(backend); Verifier v = new Verifier().nonceStore(store)) {
            String token = key.sign("alice", NOW, "n-1");
            assertEquals("alice", v.verifiedUsername(token, key, NOW + 5));
            assertEquals(List.of("alice|" + NOW + "|n-1"), backend.calls);
            assertEquals(Status.NONCE_REPLAYED,
                    assertThrows(AjwtException.class, () -> v.verifiedUsername(token, key, NOW + 5)).status());
            // Same nonce in another second, or for another user: different entries.
            assertEquals("alice", v.verifiedUsername(key.sign("alice", NOW + 1, "n-1"), key, NOW));
            assertEquals("bob", v.verifiedUsername(key.sign("bob", NOW, "n-1"), key, NOW));
            assertEquals(3, backend.seen.size());
            // A token failing its signature or time check never reaches the store.
            assertThrows(AjwtException.class, () -> v.verifiedUsername(key.sign("carol", NOW - 60, "x"), key, NOW));
            assertEquals(4, backend.calls.size());
            // Directly, and the size of a callback store is not known to the library.
            store.checkAndRecord("dave", NOW, "d", NOW);
            assertEquals(Status.NONCE_REPLAYED,
                    assertThrows(AjwtException.class, () -> store.checkAndRecord("dave", NOW, "d", NOW)).status());
            assertEquals(0, store.size());
        }
    }

    @Test
    void unicodeAndEmbeddedBytesReachTheBackendIntact() {
        MapBackend backend = new MapBackend();
        try (NonceStore store = NonceStore.callback(backend)) {
            store.checkAndRecord("zoë \u4e16", -5, "n\0n", NOW);
            assertEquals(List.of("zoë \u4e16|-5|n\0n"), backend.calls);
        }
    }

    @Test
    void throwingBackendFailsClosed() {
        RuntimeException outage = new IllegalStateException("nonce database down");
        NonceStore.Backend broken = (u, t, n) -> {
            throw outage;
        };
        try (NonceStore store = NonceStore.callback(broken); Verifier v = new Verifier().nonceStore(store)) {
            String token = key.sign("alice", NOW, "n");
            // The original exception, on the verifying thread; nothing accepted.
            assertSame(outage, assertThrows(IllegalStateException.class, () -> v.verifiedUsername(token, key, NOW)));
            assertSame(outage, assertThrows(IllegalStateException.class, () -> store.checkAndRecord("u", NOW, "n", NOW)));
            // Through the authenticator as well.
            String pem = key.toPublicPem();
            try (Authenticator auth = new Authenticator(v, (u, kid) -> List.of(pem))) {
                assertSame(outage, assertThrows(IllegalStateException.class,
                        () -> auth.authenticate(Ajwt.authHeader(token), NOW)));
            }
            // The failure does not leak into the next call on this thread.
            try (Verifier plain = new Verifier()) {
                assertEquals("alice", plain.verifiedUsername(token, key, NOW));
            }
        }
    }

    @Test
    void checkedExceptionBecomesCallbackFailed() {
        IOException io = new IOException("connection reset");
        try (NonceStore store = NonceStore.callback((u, t, n) -> {
                throw io;
            }); Verifier v = new Verifier().nonceStore(store)) {
            AjwtException e = assertThrows(AjwtException.class, () -> v.verifiedUsername(key.sign("a", NOW, "n"), key, NOW));
            assertEquals(Status.CALLBACK_FAILED, e.status());
            assertFalse(e.isClientError());
            assertSame(io, e.getCause());
        }
    }

    @Test
    void errorInBackendIsRethrownNotACrash() {
        try (NonceStore store = NonceStore.callback((u, t, n) -> {
                throw new StackOverflowError("deep");
            }); Verifier v = new Verifier().nonceStore(store)) {
            assertEquals("deep", assertThrows(StackOverflowError.class,
                    () -> v.verifiedUsername(key.sign("a", NOW, "n"), key, NOW)).getMessage());
        }
    }

    @Test
    void manyJavaThreadsOneTokenExactlyOneAccept() throws Exception {
        MapBackend backend = new MapBackend();
        String pem = key.toPublicPem();
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (NonceStore store = NonceStore.callback(backend); Verifier v = new Verifier().nonceStore(store);
             Authenticator auth = new Authenticator(v, (u, kid) -> List.of(pem))) {
            for (int round = 0; round < 20; round++) {
                String header = Ajwt.authHeader(key.sign("alice", NOW, "race-" + round));
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Status>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            auth.authenticate(header, NOW);
                            return Status.OK;
                        } catch (AjwtException e) {
                            return e.status();
                        }
                    }));
                }
                int ok = 0, replayed = 0;
                for (Future<Status> f : results) {
                    Status s = f.get();
                    if (s == Status.OK) ok++;
                    if (s == Status.NONCE_REPLAYED) replayed++;
                }
                assertEquals(1, ok, "round " + round);
                assertEquals(threads - 1, replayed, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20 * threads, backend.calls.size());
    }

    @Test
    void backendLivesAsLongAsTheStoreAndIsReleasedOnce() {
        MapBackend backend = new MapBackend();
        NonceStore store = NonceStore.callback(backend);
        Verifier v = new Verifier().nonceStore(store);
        store.close();
        // The verifier's reference keeps the backend in use.
        assertEquals(0, backend.released.get());
        String token = key.sign("erin", NOW, "z");
        assertEquals("erin", v.verifiedUsername(token, key, NOW));
        assertEquals(Status.NONCE_REPLAYED,
                assertThrows(AjwtException.class, () -> v.verifiedUsername(token, key, NOW)).status());
        try (Authenticator auth = new Authenticator(v, (u, kid) -> List.of())) {
            v.close(); // the authenticator holds the store now
            assertEquals(0, backend.released.get());
        }
        assertEquals(1, backend.released.get());
        store.close(); // idempotent
        assertEquals(1, backend.released.get());
    }

    @Test
    void memoryStorePerUserCapLeavesRoomForOthers() {
        try (NonceStore store = NonceStore.memory(0, 10, 2)) {
            store.checkAndRecord("mallory", NOW, "a", NOW);
            store.checkAndRecord("mallory", NOW, "b", NOW);
            assertEquals(Status.NONCE_STORE_FULL,
                    assertThrows(AjwtException.class, () -> store.checkAndRecord("mallory", NOW, "c", NOW)).status());
            assertEquals(Status.NONCE_REPLAYED,
                    assertThrows(AjwtException.class, () -> store.checkAndRecord("mallory", NOW, "a", NOW)).status());
            store.checkAndRecord("alice", NOW, "c", NOW);
            assertEquals(3, store.size());
        }
        assertEquals(Status.INVALID_ARGUMENT,
                assertThrows(AjwtException.class, () -> NonceStore.memory(0, 10, 11)).status());
    }

    @Test
    void nullBackendRefused() {
        assertThrows(NullPointerException.class, () -> NonceStore.callback(null));
    }
}
