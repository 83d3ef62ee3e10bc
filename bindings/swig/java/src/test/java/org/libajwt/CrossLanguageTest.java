package org.libajwt;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens signed in Java verify with the ajwt CLI (C++ over the same ABI) and vice versa. */
class CrossLanguageTest {
    private static final long NOW = 1_700_000_000L;

    private static String cli() {
        String cli = System.getProperty("ajwt.cli", "");
        assumeTrue(!cli.isEmpty() && Files.isExecutable(Path.of(cli)), "ajwt CLI not given (-Dajwt.cli=...)");
        return cli;
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(String stdin, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(args);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "CLI timed out");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim(),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    @Test
    void javaSignsCliVerifies(@TempDir Path dir) throws Exception {
        String cli = cli();
        for (KeyType type : List.of(KeyType.RSA, KeyType.ED25519)) {
            try (Key key = Key.generate(type)) {
                Path pub = dir.resolve(type + ".pub");
                Files.writeString(pub, key.toPublicPem());
                String header = Ajwt.authHeader(key.sign("java-user", NOW, "n-" + type));
                Result ok = run(header, cli, "verify", "--pub", pub.toString(), "--now", Long.toString(NOW + 5));
                assertEquals(0, ok.exit(), ok.err());
                assertEquals("java-user", ok.out());
                Result late = run(header, cli, "verify", "--pub", pub.toString(), "--now", Long.toString(NOW + 60));
                assertEquals(1, late.exit(), "expired token must be refused");
            }
        }
    }

    @Test
    void cliSignsJavaVerifies(@TempDir Path dir) throws Exception {
        String cli = cli();
        try (Key key = Key.generate(KeyType.ED25519); Key other = Key.generate(KeyType.ED25519);
             Key pub = key.publicKey(); Verifier verifier = new Verifier()) {
            Path priv = dir.resolve("key.pem");
            Files.writeString(priv, key.toPkcs8(null));
            Result signed = run("", cli, "sign", "--key", priv.toString(), "--user", "cli-user",
                    "--time", Long.toString(NOW), "--nonce", "cli-nonce");
            assertEquals(0, signed.exit(), signed.err());
            try (Token t = verifier.parse(signed.out())) {
                assertEquals("cli-user", t.username());
                assertEquals("cli-nonce", t.nonce());
                assertEquals(key.fingerprint(), t.kid());
                verifier.verify(t, pub, NOW);
                assertEquals(Status.BAD_SIGNATURE,
                        assertThrows(AjwtException.class, () -> verifier.verify(t, other, NOW)).status());
            }
        }
    }
}
