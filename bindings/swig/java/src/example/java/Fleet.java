import com.google.gson.Gson;
import com.google.gson.JsonObject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.libajwt.Authenticator;
import org.libajwt.JwksCache;
import org.libajwt.Key;
import org.libajwt.NonceStore;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;
import org.libajwt.http.HttpJwksFetcher;
import org.libajwt.http.SigningHttpClient;
import org.libajwt.redis.RedisNonceStore;
import org.libajwt.servlet.AjwtFilter;
import redis.clients.jedis.RedisClient;

/**
 * The Java service of the fleet test (tests/fleet/README.md has the contract): an embedded
 * Tomcat whose /whoami is behind AjwtFilter, nonces in the shared Redis (RedisNonceStore), keys
 * from the registry and its users' JWKS URLs (JwksCache over HttpJwksFetcher), and /call going
 * out through SigningHttpClient.
 *
 * <pre>
 *   Fleet --name NAME --port PORT --redis-url redis://127.0.0.1:RPORT/0 --registry REGISTRY.json
 *         --key NAME.pem [--jwks-file FILE] [--jwks-ttl SECONDS]
 * </pre>
 */
public final class Fleet {
    private static final Gson GSON = new Gson();
    /** Tomcat's INFO lines would bury the filter's; held so the level set in main sticks. */
    private static Logger tomcatLog;

    /** The registry file: each user's public keys and trusted JWKS URLs. */
    static final class Registry implements UserRepository {
        /** One user of REGISTRY.json (field names as in the file). */
        static final class User {
            String username;
            List<String> public_keys = List.of();
            List<String> jwks_urls = List.of();
        }

        /** The file's top level. */
        static final class File {
            List<User> users = List.of();
        }

        private final Map<String, User> users = new HashMap<>();

        Registry(Path path) throws IOException {
            File file = GSON.fromJson(Files.readString(path), File.class);
            for (User u : file.users) users.put(u.username, u);
        }

        @Override
        public boolean userExists(String username) { return users.containsKey(username); }

        @Override
        public List<String> publicKeys(String username, String kid) {
            User u = users.get(username);
            return u == null || u.public_keys == null ? List.of() : u.public_keys;
        }

        @Override
        public List<String> jwksUrls(String username) {
            User u = users.get(username);
            return u == null || u.jwks_urls == null ? List.of() : u.jwks_urls;
        }
    }

    /** /health, /whoami (behind the filter), /call and /.well-known/jwks.json. */
    static final class Endpoints extends HttpServlet {
        private final String name;
        private final HttpClient client;
        private final Path jwksFile;

        Endpoints(String name, HttpClient client, Path jwksFile) {
            this.name = name;
            this.client = client;
            this.jwksFile = jwksFile;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            switch (req.getRequestURI()) {
                case "/health":
                    send(resp, 200, "text/plain", "ok");
                    break;
                case "/whoami":
                    send(resp, 200, "application/json", GSON.toJson(Map.of("service", name,
                            "user", req.getUserPrincipal().getName())));
                    break;
                case "/call":
                    call(req.getParameter("url"), resp);
                    break;
                case "/.well-known/jwks.json":
                    jwks(resp);
                    break;
                default:
                    resp.sendError(404);
            }
        }

        private void call(String url, HttpServletResponse resp) throws IOException {
            JsonObject out = new JsonObject();
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                out.addProperty("status", r.statusCode());
                out.addProperty("body", r.body());
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                out.addProperty("status", 0);
                out.addProperty("error", String.valueOf(e));
            }
            send(resp, 200, "application/json", out.toString());
        }

        private void jwks(HttpServletResponse resp) throws IOException {
            if (jwksFile == null) {
                resp.sendError(404);
                return;
            }
            try {
                send(resp, 200, "application/json", Files.readString(jwksFile));
            } catch (NoSuchFileException e) {
                resp.sendError(404);
            }
        }

        private static void send(HttpServletResponse resp, int status, String type, String body) throws IOException {
            resp.setStatus(status);
            resp.setContentType(type);
            resp.setCharacterEncoding("UTF-8");
            resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) throws Exception {
        // One line per record on stderr (before java.util.logging reads its configuration).
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        String name, redisUrl, registryFile, keyFile, jwksFile;
        int port;
        long jwksTtl;
        try {
            Flags flags = Flags.parse(args, 0,
                    Set.of("name", "port", "redis-url", "registry", "key", "jwks-file", "jwks-ttl"), Set.of());
            name = flags.required("name");
            port = Math.toIntExact(flags.getLong("port", -1));
            redisUrl = flags.required("redis-url");
            registryFile = flags.required("registry");
            keyFile = flags.required("key");
            jwksFile = flags.get("jwks-file", null);
            jwksTtl = flags.getLong("jwks-ttl", 2);
            if (port < 0 || port > 65535) throw new IllegalArgumentException("-port is required (0..65535)");
        } catch (IllegalArgumentException | ArithmeticException e) {
            System.err.println("Fleet: " + e.getMessage() + "\nusage: Fleet --name NAME --port PORT --redis-url URL"
                    + " --registry REGISTRY.json --key NAME.pem [--jwks-file FILE] [--jwks-ttl SECONDS]");
            System.exit(2);
            return;
        }
        Registry registry = new Registry(Path.of(registryFile));
        String pem = Files.readString(Path.of(keyFile));

        // These live as long as the process (it runs until SIGTERM).
        RedisClient redis = RedisClient.create(URI.create(redisUrl));
        Verifier verifier = new Verifier();
        try (NonceStore nonces = NonceStore.callback(RedisNonceStore.forVerifier(redis, verifier))) {
            verifier.nonceStore(nonces);
        }
        JwksCache jwks = new JwksCache(new HttpJwksFetcher())
                .ttl(Duration.ofSeconds(jwksTtl)).refreshCooldown(Duration.ofSeconds(jwksTtl));
        Authenticator authenticator = new Authenticator(verifier, registry).jwksCache(jwks);
        Key key = Key.loadPrivate(pem);
        HttpClient client = SigningHttpClient.builder(HttpClient.newHttpClient(), key, name).build();

        tomcatLog = Logger.getLogger("org.apache");
        tomcatLog.setLevel(Level.WARNING);
        Path base = Files.createTempDirectory("ajwt-fleet-" + name);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(port);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        StandardContext ctx = (StandardContext) tomcat.addContext("", base.toString());
        // No web application is undeployed here: skip the leak checks that need --add-opens.
        ctx.setClearReferencesThreadLocals(false);
        ctx.setClearReferencesRmiTargets(false);
        Tomcat.addServlet(ctx, "fleet", new Endpoints(name, client, jwksFile == null ? null : Path.of(jwksFile)));
        ctx.addServletMappingDecoded("/", "fleet", false);
        FilterDef filter = new FilterDef();
        filter.setFilterName("ajwt");
        filter.setFilter(AjwtFilter.builder(authenticator).build());
        ctx.addFilterDef(filter);
        FilterMap map = new FilterMap();
        map.setFilterName("ajwt");
        map.addURLPattern("/whoami");
        ctx.addFilterMap(map);
        // SIGTERM ends the service: leave no Tomcat work directory behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                try (var files = Files.walk(base)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } catch (Exception e) {
                System.err.println("Fleet: cleanup: " + e);
            }
        }));
        tomcat.start();
        System.err.println("fleet service " + name + " (Java) listening on http://127.0.0.1:" + port);
        tomcat.getServer().await();
    }
}
