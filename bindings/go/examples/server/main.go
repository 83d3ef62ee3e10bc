// Command server is a tiny HTTP service that authenticates every request with libajwt's
// high-level authenticator over an in-memory key registry.
//
//	go run ./examples/server -addr 127.0.0.1:8080 -user alice=alice.pub
//
// -user may repeat; the key file holds a public key as PEM, OpenSSH or JWK. The server prints
// "listening on http://ADDR" once it accepts connections, then answers GET / with
// "hello <username>" for a signed request and 401 otherwise.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// registry is the in-memory key registry: username -> public key texts. It implements
// ajwt.KeyRepository and ajwt.UserRepository.
type registry struct {
	mu   sync.RWMutex
	keys map[string][]string
}

func (r *registry) add(username, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys[username] = append(r.keys[username], text)
}

func (r *registry) UserExists(username string) (bool, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.keys[username]
	return ok, nil
}

func (r *registry) UserKeys(username, kid string, keys *ajwt.KeySet) error {
	r.mu.RLock()
	texts := r.keys[username]
	r.mu.RUnlock()
	for _, text := range texts {
		if err := keys.AddText([]byte(text), ajwt.FormatAny); err != nil {
			return err
		}
	}
	return nil
}

type userKey struct{}

// authenticated is the middleware: it lets a request through only with a valid
// "Authorization: JWT <token>" header, and puts the username into the request context.
func authenticated(auth *ajwt.Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := auth.Authenticate(r.Header.Get("Authorization"), ajwt.Now())
		if err != nil {
			if ajwt.IsClientError(err) {
				w.Header().Set("WWW-Authenticate", "JWT")
				http.Error(w, err.Error(), http.StatusUnauthorized)
			} else {
				log.Printf("authentication failed on our side: %v", err)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
			return
		}
		id.Key.Close()
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, id.Username)))
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port)")
	reg := &registry{keys: map[string][]string{}}
	flag.Func("user", "USERNAME=PUBLIC_KEY_FILE (repeatable)", func(v string) error {
		name, file, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return errors.New("want USERNAME=PUBLIC_KEY_FILE")
		}
		text, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		key, err := ajwt.ParsePublicKey(text) // refuse a bad key at start-up, not per request
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		key.Close()
		reg.add(name, string(text))
		return nil
	})
	flag.Parse()

	store, err := ajwt.NewMemoryNonceStore(0, 0)
	if err != nil {
		log.Fatal(err)
	}
	verifier, err := ajwt.NewVerifier(ajwt.WithNonceStore(store))
	if err != nil {
		log.Fatal(err)
	}
	auth, err := ajwt.NewAuthenticator(verifier, reg)
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello %s\n", r.Context().Value(userKey{}))
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, authenticated(auth, mux)))
}
