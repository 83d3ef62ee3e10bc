import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.libajwt.Ajwt;
import org.libajwt.AjwtException;
import org.libajwt.Authenticator;
import org.libajwt.Key;
import org.libajwt.NonceStore;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;

/**
 * A tiny HTTP service that authenticates every request with libajwt's high-level
 * authenticator over an in-memory key registry (as bindings/go/examples/server):
 *
 * <pre>
 *   run-example.sh server --addr 127.0.0.1:8080 --user alice=alice.pub [--user bob=bob.pub]
 * </pre>
 *
 * --user may repeat; the file holds a public key as PEM, OpenSSH or JWK. The server prints
 * "listening on http://ADDR" once it accepts connections (port 0 picks a free port), then
 * answers every request with "hello USERNAME" for a signed request and 401 otherwise.
 */
public final class Server {
    /** The in-memory key registry: username -> public key texts. */
    static final class Registry implements UserRepository {
        private final Map<String, List<String>> keys = new ConcurrentHashMap<>();

        void add(String username, String text) {
            keys.computeIfAbsent(username, u -> new CopyOnWriteArrayList<>()).add(text);
        }

        @Override
        public boolean userExists(String username) {
            return keys.containsKey(username);
        }

        @Override
        public List<String> publicKeys(String username, String kid) {
            return keys.getOrDefault(username, List.of());
        }
    }

    public static void main(String[] args) throws IOException {
        Flags flags;
        try {
            flags = Flags.parse(args, 0, Set.of("addr", "user"), Set.of());
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage() + "\nusage: server [--addr HOST:PORT] [--user USERNAME=PUBLIC_KEY_FILE]...");
        }
        String addr = flags.get("addr", "127.0.0.1:8080");
        Registry registry = new Registry();
        for (String user : flags.all("user")) addUser(registry, user);

        int colon = addr.lastIndexOf(':');
        if (colon < 0) throw fail("--addr wants HOST:PORT, got " + addr);
        InetSocketAddress bind = new InetSocketAddress(addr.substring(0, colon), Integer.parseInt(addr.substring(colon + 1)));

        // Lives as long as the process; closed by nobody, as the server runs until killed.
        NonceStore nonces = NonceStore.memory();
        Verifier policy = new Verifier().nonceStore(nonces);
        Authenticator auth = new Authenticator(policy, registry);

        HttpServer server = HttpServer.create(bind, 64);
        server.createContext("/", exchange -> handle(auth, exchange));
        server.setExecutor(Executors.newFixedThreadPool(4)); // authenticate() is thread-safe
        server.start();
        InetSocketAddress bound = server.getAddress();
        System.out.println("listening on http://" + bound.getHostString() + ":" + bound.getPort());
        System.out.flush();
    }

    private static void addUser(Registry registry, String value) {
        int eq = value.indexOf('=');
        if (eq <= 0) fail("--user wants USERNAME=PUBLIC_KEY_FILE, got " + value);
        String file = value.substring(eq + 1);
        String text;
        try {
            text = Files.readString(Path.of(file));
        } catch (IOException e) {
            throw fail(file + ": " + e);
        }
        try (Key key = Key.loadPublic(text)) { // refuse a bad key at start-up, not per request
            registry.add(value.substring(0, eq), text);
        } catch (AjwtException e) {
            fail(file + ": " + e.getMessage());
        }
    }

    /** The middleware and the handler in one: 200 "hello USERNAME" or 401. */
    private static void handle(Authenticator auth, HttpExchange exchange) throws IOException {
        try (exchange) {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            int status;
            String body;
            try {
                String username = auth.authenticate(header == null ? "" : header, Ajwt.now());
                status = 200;
                body = "hello " + username + "\n";
            } catch (AjwtException e) {
                if (e.isClientError()) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "JWT");
                    status = 401;
                    body = e.getMessage() + "\n";
                } else {
                    System.err.println("authentication failed on our side: " + e.getMessage());
                    status = 500;
                    body = "internal error\n";
                }
            } catch (RuntimeException e) { // the registry failed
                System.err.println("authentication failed on our side: " + e);
                status = 500;
                body = "internal error\n";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static IllegalArgumentException fail(String message) {
        System.err.println("server: " + message);
        System.exit(2);
        return new IllegalArgumentException(message);
    }
}
