package org.libajwt;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test vectors (tests/vectors), located by the ajwt.vectors system property. */
final class Vectors {
    private Vectors() {}

    static Path dir() {
        return Path.of(System.getProperty("ajwt.vectors", "../../../tests/vectors"));
    }

    static JsonObject compat() throws IOException {
        String text = Files.readString(dir().resolve("compat/asymmetric-jwt-auth-1.x.json"), StandardCharsets.UTF_8);
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
