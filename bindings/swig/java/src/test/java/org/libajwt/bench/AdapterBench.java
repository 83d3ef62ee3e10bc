package org.libajwt.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.libajwt.Ajwt;
import org.libajwt.Authenticator;
import org.libajwt.Key;
import org.libajwt.KeyType;
import org.libajwt.NonceStore;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;
import org.libajwt.http.SigningHttpClient;
import org.libajwt.servlet.AjwtFilter;
import org.libajwt.servlet.EmbeddedTomcat;

/**
 * Signed requests/s through AjwtFilter + SigningHttpClient against the same Tomcat and servlet
 * without authentication, in one run (bindings/swig/java/bench.sh runs it by hand):
 * <ul>
 *   <li>plain: HttpClient → Tomcat, no filter (the baseline);</li>
 *   <li>filter: pre-signed requests (one fresh token each, signed before the clock starts) →
 *       Tomcat + AjwtFilter: what the server adapter adds;</li>
 *   <li>filter+client: SigningHttpClient (signs inside the loop) → Tomcat + AjwtFilter;</li>
 *   <li>floors through this binding: parse + verify, and sign, of one Ed25519 token.</li>
 * </ul>
 * Sequential requests on one keep-alive connection. Figures are process CPU time per request
 * (client and server run in this JVM), so other load on the machine does not count; best of
 * several batches, the kinds interleaved. Arguments: [requests per batch, default 3000]
 * [batches, default 5].
 */
public final class AdapterBench {
    /** The smallest answer: what is measured is the adapters, not the servlet. */
    static final class Ok extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("ok");
        }
    }

    private static final Logger FILTER_LOG = Logger.getLogger(AjwtFilter.class.getName());

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        FILTER_LOG.setLevel(Level.WARNING);
        try (Key key = Key.generate(KeyType.ED25519); Key pub = key.publicKey();
             NonceStore nonces = NonceStore.memory(0, 10_000_000);
             Verifier verifier = new Verifier().nonceStore(nonces)) {
            String pem = pub.toPublicPem();
            UserRepository users = (username, kid) -> List.of(pem);
            try (Authenticator auth = new Authenticator(verifier, users);
                 EmbeddedTomcat plainServer = new EmbeddedTomcat(new Ok(), null, null);
                 EmbeddedTomcat authServer = new EmbeddedTomcat(new Ok(), AjwtFilter.builder(auth).build(), "/*")) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                SigningHttpClient signing = SigningHttpClient.builder(http, key, "bench").build();
                HttpRequest plainRequest = HttpRequest.newBuilder(plainServer.uri("/x")).build();
                HttpRequest authRequest = HttpRequest.newBuilder(authServer.uri("/x")).build();

                double plain = Double.MAX_VALUE, filter = Double.MAX_VALUE, both = Double.MAX_VALUE;
                // Batch 0 warms the JIT and the connections up and is not counted.
                for (int b = 0; b <= batches; b++) {
                    double p = perRequest(http, List.of(plainRequest), n);
                    List<HttpRequest> presigned = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) presigned.add(signing.sign(authRequest));
                    double f = perRequest(http, presigned, n);
                    double c = perRequest(signing, List.of(authRequest), n);
                    if (b > 0) {
                        plain = Math.min(plain, p);
                        filter = Math.min(filter, f);
                        both = Math.min(both, c);
                    }
                }
                long now = Ajwt.now();
                String token = key.sign("bench", now, "n");
                double verify;
                try (Verifier noNonces = new Verifier()) {
                    verify = floor(() -> noNonces.verifiedUsername(token, pub, now), 20_000, batches);
                }
                double sign = floor(() -> key.sign("bench", 1_700_000_000L, "n"), 20_000, batches);
                // What the filter asks of the core per request, without HTTP: one fresh token each.
                String[] headers = new String[20_000 * (batches + 1)];
                for (int i = 0; i < headers.length; i++) {
                    headers[i] = Ajwt.authHeader(key.sign("bench", now, Ajwt.generateNonce()));
                }
                int[] next = {0};
                double authenticate = floor(() -> auth.authenticateRequest(headers[next[0]++], "GET", "/x", null, now),
                        20_000, batches);
                System.out.printf("libajwt %s, Java %s, %d requests x %d batches (best), Ed25519%n", Ajwt.version(),
                        System.getProperty("java.version"), n, batches);
                row("plain (no auth)", plain, plain);
                row("filter (pre-signed)", filter, plain);
                row("filter+client", both, plain);
                System.out.printf("%-22s %9.1f us  (parse + verify through the binding: the floor)%n", "verify", verify);
                System.out.printf("%-22s %9.1f us  (client side, per request)%n", "sign", sign);
                System.out.printf("%-22s %9.1f us  (Authenticator.authenticateRequest, no HTTP: verify + %.1f us)%n",
                        "authenticate", authenticate, authenticate - verify);
                double added = filter - plain;
                System.out.printf("server adapter adds %.1f us per request = verify %.1f us + %.1f us (target: <= verify + 20 us: %s)%n",
                        added, verify, added - verify, added <= verify + 20 ? "met" : "missed");
                System.out.printf("filter+client adds %.1f us per request = sign %.1f + verify %.1f + %.1f us%n",
                        both - plain, sign, verify, both - plain - sign - verify);
            }
        }
    }

    private static void row(String name, double us, double baseline) {
        System.out.printf("%-22s %9.1f us CPU/request %9.0f requests/s per core  ratio %.2f%n", name, us, 1e6 / us,
                baseline / us);
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Process CPU time per request (us) of n sequential sends, cycling through `requests`. */
    private static double perRequest(HttpClient client, List<HttpRequest> requests, int n) throws Exception {
        long start = OS.getProcessCpuTime();
        for (int i = 0; i < n; i++) {
            HttpResponse<Void> r = client.send(requests.get(i % requests.size()), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) throw new IllegalStateException("status " + r.statusCode());
        }
        return (OS.getProcessCpuTime() - start) / 1e3 / n;
    }

    /** Best process CPU time per operation (us) over batches of n. */
    private static double floor(Runnable op, int n, int batches) {
        double best = Double.MAX_VALUE;
        for (int b = 0; b <= batches; b++) {
            long start = OS.getProcessCpuTime();
            for (int i = 0; i < n; i++) op.run();
            double us = (OS.getProcessCpuTime() - start) / 1e3 / n;
            if (b > 0) best = Math.min(best, us);
        }
        return best;
    }
}
