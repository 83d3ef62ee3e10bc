import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.libajwt.Ajwt;
import org.libajwt.AjwtException;
import org.libajwt.Key;
import org.libajwt.KeyType;
import org.libajwt.Verifier;

/**
 * Signs requests with libajwt; the same commands as bindings/go/examples/client, so that it
 * can stand in for it (e.g. in the cross-language check of scripts/test-cross-language.sh):
 *
 * <pre>
 *   client request --url URL --key KEY.pem --user NAME [--replay]
 *       GET URL with "Authorization: JWT &lt;token&gt;"; prints the status and body. Exit 0 on
 *       200; with --replay the same header is sent again and must get 401.
 *   client keygen --type ed25519|rsa|p256 --out NAME
 *       writes NAME.pem (PKCS#8 private key) and NAME.pub (PEM public key)
 *   client token --key KEY.pem --user NAME [--time UNIX] [--nonce N] [--password P]
 *       prints a signed token
 *   client verify --public KEY.pub --token TOKEN [--now UNIX]
 *       prints the verified username, or the error and exits 1
 * </pre>
 */
public final class Client {
    private static final String USAGE = "usage: client request|keygen|token|verify [flags]";

    public static void main(String[] args) {
        if (args.length < 1) fail(USAGE);
        try {
            System.exit(run(args[0], args));
        } catch (IllegalArgumentException | AjwtException e) {
            fail(e.getMessage());
        } catch (IOException e) { // e.g. ConnectException, whose message may be null
            fail(e.toString());
        } catch (InterruptedException e) {
            fail("interrupted");
        }
    }

    private static int run(String command, String[] args) throws IOException, InterruptedException {
        switch (command) {
            case "request": {
                Flags f = Flags.parse(args, 1, Set.of("url", "key", "user"), Set.of("replay"));
                try (Key key = loadPrivate(f.required("key"), "")) {
                    return request(f.get("url", "http://127.0.0.1:8080/"), key, f.get("user", ""), f.isSet("replay"));
                }
            }
            case "keygen": {
                Flags f = Flags.parse(args, 1, Set.of("type", "out"), Set.of());
                keygen(f.get("type", "ed25519"), f.get("out", ""));
                return 0;
            }
            case "token": {
                Flags f = Flags.parse(args, 1, Set.of("key", "password", "user", "time", "nonce"), Set.of());
                long time = f.getLong("time", 0);
                String nonce = f.get("nonce", "");
                try (Key key = loadPrivate(f.required("key"), f.get("password", ""))) {
                    System.out.println(key.sign(f.get("user", ""), time == 0 ? Ajwt.now() : time,
                            nonce.isEmpty() ? Ajwt.generateNonce() : nonce));
                }
                return 0;
            }
            case "verify": {
                Flags f = Flags.parse(args, 1, Set.of("public", "token", "now"), Set.of());
                long now = f.getLong("now", 0);
                String text = Files.readString(Path.of(f.required("public")));
                try (Key key = Key.loadPublic(text); Verifier verifier = new Verifier()) {
                    System.out.println(verifier.verifiedUsername(f.get("token", "").strip(), key, now == 0 ? Ajwt.now() : now));
                }
                return 0;
            }
            default:
                throw new IllegalArgumentException("unknown command \"" + command + "\"\n" + USAGE);
        }
    }

    private static Key loadPrivate(String path, String password) throws IOException {
        return Key.loadPrivate(Files.readString(Path.of(path)), password.isEmpty() ? null : password);
    }

    private static int request(String url, Key key, String user, boolean replay) throws IOException, InterruptedException {
        String header = Ajwt.authHeader(key.sign(user, Ajwt.now(), Ajwt.generateNonce()));
        HttpClient http = HttpClient.newHttpClient();
        int first = get(http, url, header);
        if (!replay) return first == 200 ? 0 : 1;
        int second = get(http, url, header);
        return first == 200 && second == 401 ? 0 : 1;
    }

    private static int get(HttpClient http, String url, String header) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", header).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) { // its message is often null
            throw new IOException(url + ": connection refused", e);
        }
        System.out.println(response.statusCode() + " " + response.body().strip());
        return response.statusCode();
    }

    private static void keygen(String type, String out) throws IOException {
        Map<String, KeyType> types = Map.of("ed25519", KeyType.ED25519, "rsa", KeyType.RSA, "p256", KeyType.EC_P256);
        KeyType t = types.get(type);
        if (t == null || out.isEmpty()) throw new IllegalArgumentException("keygen needs --type ed25519|rsa|p256 and --out NAME");
        try (Key key = Key.generate(t)) {
            Path pem = Path.of(out + ".pem");
            Files.deleteIfExists(pem);
            Files.createFile(pem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(pem, key.toPkcs8(null));
            Files.writeString(Path.of(out + ".pub"), key.toPublicPem());
            System.out.printf("%s.pem, %s.pub (fingerprint %s)%n", out, out, key.fingerprint());
        }
    }

    private static void fail(String message) {
        System.err.println("client: " + message);
        System.exit(1);
    }
}
