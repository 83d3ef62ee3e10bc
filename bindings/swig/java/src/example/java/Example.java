import java.util.List;
import java.util.Map;
import org.libajwt.Ajwt;
import org.libajwt.AjwtException;
import org.libajwt.Authenticator;
import org.libajwt.Key;
import org.libajwt.KeyType;
import org.libajwt.NonceStore;
import org.libajwt.UserRepository;
import org.libajwt.Verifier;

/**
 * A client signs a request for "alice"; the server authenticates the Authorization header
 * against its user repository (here a Map; in a real service, a database) with replay
 * protection, then refuses the replayed request.
 */
public class Example {
    public static void main(String[] args) {
        try (Key clientKey = Key.generate(KeyType.ED25519)) {
            // Server side: registered public keys per user (PEM, OpenSSH, JWK or a JWKS).
            Map<String, List<String>> registered = Map.of("alice", List.of(clientKey.toOpenSsh()));
            UserRepository users = new UserRepository() {
                @Override
                public boolean userExists(String username) {
                    return registered.containsKey(username);
                }

                @Override
                public List<String> publicKeys(String username, String kid) {
                    return registered.getOrDefault(username, List.of());
                }
            };
            try (NonceStore nonces = NonceStore.memory();
                 Verifier policy = new Verifier().nonceStore(nonces);
                 Authenticator server = new Authenticator(policy, users)) {
                long now = Ajwt.now();
                String header = Ajwt.authHeader(clientKey.sign("alice", now, Ajwt.generateNonce()));
                System.out.println("client sends  Authorization: " + header.substring(0, 40) + "...");
                System.out.println("server: " + handle(server, header));
                System.out.println("server (replay): " + handle(server, header));
            }
        }
    }

    static String handle(Authenticator server, String authorization) {
        try {
            return "200 hello " + server.authenticate(authorization, Ajwt.now());
        } catch (AjwtException e) {
            return "401 " + e.status();
        }
    }
}
