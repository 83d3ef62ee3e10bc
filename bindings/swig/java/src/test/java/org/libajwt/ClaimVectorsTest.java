package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The shared registered-claim and token-policy vectors (tests/vectors/claims), both policies. */
class ClaimVectorsTest {

    private static JsonObject vectors() throws Exception {
        String text = Files.readString(Vectors.dir().resolve("claims/claims-and-policies.json"), StandardCharsets.UTF_8);
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static int statusOf(Verifier verifier, Key key, String token, long now) {
        try (Token parsed = verifier.parse(token)) {
            verifier.verify(parsed, key, now);
            return 0;
        } catch (AjwtException e) {
            return e.status().code();
        }
    }

    @Test
    void strictAndCompatStatuses() throws Exception {
        JsonObject v = vectors();
        long now = v.get("now").getAsLong();
        int count = 0;
        try (Key key = Key.loadPublic(v.get("public_key").getAsString());
             Verifier strict = new Verifier();
             Verifier compat = new Verifier().compat(Verifier.Compat.V1X).leeway(0)) {
            for (JsonElement e : v.getAsJsonArray("cases")) {
                JsonObject c = e.getAsJsonObject();
                String name = c.get("name").getAsString(), token = c.get("token").getAsString();
                assertEquals(c.get("strict").getAsInt(), statusOf(strict, key, token, now), name + " strict");
                assertEquals(c.get("compat_1x").getAsInt(), statusOf(compat, key, token, now), name + " 1.x");
                count++;
            }
        }
        assertTrue(count >= 50);
    }

    @Test
    void newStatusesAndSetters() {
        assertEquals(Status.TOKEN_EXP_PASSED, Status.fromCode(60));
        assertEquals(Status.TOKEN_NOT_YET_VALID, Status.fromCode(61));
        assertEquals(Status.TOKEN_IAT_FUTURE, Status.fromCode(62));
        assertEquals(Status.TOKEN_AUDIENCE, Status.fromCode(63));
        assertEquals(Status.TOKEN_REGISTERED_CLAIM, Status.fromCode(64));
        try (Verifier verifier = new Verifier()) {
            AjwtException e = assertThrows(AjwtException.class, () -> verifier.leeway(-1));
            assertEquals(Status.INVALID_ARGUMENT, e.status());
        }
    }
}
