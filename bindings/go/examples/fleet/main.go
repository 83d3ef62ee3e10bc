// Command fleet is the Go service of the fleet test (tests/fleet/README.md, scripts/test-fleet.sh):
// net/http with the ajwthttp middleware on /whoami, the ajwthttp Transport for its outgoing
// calls, nonces in the shared Redis (ajwtredis) and keys from the registry and its users'
// JWKS URLs (ajwt.JWKSCache with ajwthttp.JWKSFetcher).
//
//	fleet --name go --port 8001 --redis-url redis://127.0.0.1:6379/0 --registry registry.json \
//	      --key go.pem [--jwks-file jwks.json] [--jwks-ttl 2]
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
	"github.com/libajwt/libajwt/bindings/go/ajwthttp"
	"github.com/libajwt/libajwt/bindings/go/ajwtredis"
	"github.com/redis/go-redis/v9"
)

type config struct {
	name, redisURL, registry, keyFile, jwksFile string
	port, jwksTTL                               int
}

func main() {
	var c config
	flag.StringVar(&c.name, "name", "", "service name, also the username of its outgoing calls")
	flag.IntVar(&c.port, "port", 0, "port on 127.0.0.1")
	flag.StringVar(&c.redisURL, "redis-url", "", "shared Redis for nonces (redis://host:port/db)")
	flag.StringVar(&c.registry, "registry", "", "registry JSON: users, their public keys and JWKS URLs")
	flag.StringVar(&c.keyFile, "key", "", "this service's private key (PEM)")
	flag.StringVar(&c.jwksFile, "jwks-file", "", "JWK Set served at /.well-known/jwks.json (re-read per request)")
	flag.IntVar(&c.jwksTTL, "jwks-ttl", 2, "seconds before a JWK Set is refreshed")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(c, log); err != nil {
		log.Error("fleet: " + err.Error())
		os.Exit(1)
	}
}

func run(c config, log *slog.Logger) error {
	if c.name == "" || c.redisURL == "" || c.registry == "" || c.keyFile == "" {
		return errors.New("--name, --redis-url, --registry and --key are required")
	}
	reg, err := loadRegistry(c.registry)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(c.keyFile)
	if err != nil {
		return err
	}
	key, err := ajwt.ParsePrivateKey(pem, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", c.keyFile, err)
	}
	opts, err := redis.ParseURL(c.redisURL)
	if err != nil {
		return err
	}
	// Fail fast while Redis is down (each refused request waits at most this long).
	opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout, opts.MaxRetries = time.Second, time.Second, time.Second, -1
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ttl := time.Duration(c.jwksTTL) * time.Second
	// Cooldown = TTL: a rotated key set is picked up within about one TTL.
	jwks, err := ajwthttp.NewJWKSCache(nil, ajwt.WithJWKSTTL(ttl), ajwt.WithJWKSRefreshCooldown(ttl))
	if err != nil {
		return err
	}
	defer jwks.Close()
	verifier, err := ajwt.NewVerifier()
	if err != nil {
		return err
	}
	auth, err := ajwt.NewAuthenticator(verifier, reg, ajwt.WithNonceRecorder(ajwtredis.New(rdb)), ajwt.WithJWKSCache(jwks))
	if err != nil {
		return err
	}
	defer auth.Close()

	signing := &http.Client{Transport: &ajwthttp.Transport{Key: key, Username: c.name}, Timeout: 10 * time.Second}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	mux.Handle("GET /whoami", ajwthttp.Middleware(auth, ajwthttp.WithLogger(log))(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			user, _ := ajwthttp.UsernameFrom(r.Context())
			writeJSON(w, map[string]any{"service": c.name, "user": user})
		})))
	mux.HandleFunc("GET /call", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, call(signing, r.URL.Query().Get("url")))
	})
	mux.HandleFunc("GET /.well-known/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		if c.jwksFile == "" {
			http.NotFound(w, nil)
			return
		}
		doc, err := os.ReadFile(c.jwksFile)
		if err != nil {
			http.Error(w, "cannot read the JWKS file", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		w.Write(doc)
	})
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", c.port))
	if err != nil {
		return err
	}
	log.Info("listening on http://" + l.Addr().String())
	return http.Serve(l, mux)
}

// call GETs url through the signing client: {"status", "body"} or {"status": 0, "error"}.
func call(client *http.Client, url string) map[string]any {
	if url == "" {
		return map[string]any{"status": 0, "error": "no url"}
	}
	resp, err := client.Get(url)
	if err != nil {
		return map[string]any{"status": 0, "error": err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return map[string]any{"status": 0, "error": err.Error()}
	}
	return map[string]any{"status": resp.StatusCode, "body": string(body)}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// registry is the fleet's key registry: ajwt's KeyRepository, UserRepository and JWKSURLRepository.
type registry map[string]registryUser

type registryUser struct {
	Username   string   `json:"username"`
	PublicKeys []string `json:"public_keys"`
	JWKSURLs   []string `json:"jwks_urls"`
}

func loadRegistry(path string) (registry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Users []registryUser `json:"users"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	reg := registry{}
	for _, u := range doc.Users {
		reg[u.Username] = u
	}
	return reg, nil
}

func (r registry) UserExists(username string) (bool, error) {
	_, ok := r[username]
	return ok, nil
}

func (r registry) UserKeys(username, _ string, keys *ajwt.KeySet) error {
	for _, pem := range r[username].PublicKeys {
		if err := keys.AddText([]byte(pem), ajwt.FormatAny); err != nil {
			return err
		}
	}
	return nil
}

func (r registry) UserJWKSURLs(username string) ([]string, error) { return r[username].JWKSURLs, nil }
