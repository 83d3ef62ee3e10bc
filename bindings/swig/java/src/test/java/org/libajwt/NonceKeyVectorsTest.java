package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Ajwt.nonceKey against the shared vectors (tests/vectors/nonce-keys.json), as every language's store uses it. */
class NonceKeyVectorsTest {
    @Test
    void matchesTheSharedVectors() throws Exception {
        JsonObject doc = JsonParser.parseString(
                Files.readString(Vectors.dir().resolve("nonce-keys.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        int checked = 0;
        for (JsonElement e : doc.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            String name = c.get("name").getAsString();
            assertEquals(c.get("key").getAsString(), Ajwt.nonceKey(c.get("username").getAsString(),
                    c.get("time").getAsLong(), c.get("nonce").getAsString()), name);
            checked++;
        }
        assertTrue(checked >= 5, "only " + checked + " vectors");
    }

    @Test
    void keyHasTheDocumentedShape() {
        String key = Ajwt.nonceKey("alice", 1_700_000_000L, "n1");
        assertTrue(key.matches("ajwt-nonce-[0-9a-f]{64}"), key);
        assertNotEquals(key, Ajwt.nonceKey("alice", 1_700_000_001L, "n1"));
    }
}
