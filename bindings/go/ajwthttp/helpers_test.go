package ajwthttp_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// registry is an in-memory key repository: registered public keys (PEM) and JWKS URLs per user.
type registry struct {
	mu   sync.Mutex
	keys map[string][]string
	jwks map[string][]string
}

func newRegistry() *registry {
	return &registry{keys: map[string][]string{}, jwks: map[string][]string{}}
}

func (r *registry) addKey(t testing.TB, username string, key *ajwt.Key) {
	t.Helper()
	pub := must[*ajwt.Key](t)(key.Public())
	pem := must[string](t)(pub.PublicPEM())
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys[username] = append(r.keys[username], pem)
}

func (r *registry) UserExists(username string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, withKeys := r.keys[username]
	_, withJWKS := r.jwks[username]
	return withKeys || withJWKS, nil
}

func (r *registry) UserKeys(username, _ string, keys *ajwt.KeySet) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, pem := range r.keys[username] {
		if err := keys.AddText([]byte(pem), ajwt.FormatAny); err != nil {
			return err
		}
	}
	return nil
}

func (r *registry) UserJWKSURLs(username string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.jwks[username], nil
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func generate(t testing.TB) *ajwt.Key {
	t.Helper()
	k := must[*ajwt.Key](t)(ajwt.GenerateKey(ajwt.KeyEd25519))
	t.Cleanup(func() { k.Close() })
	return k
}

// logBuffer collects the middleware's log lines (JSON, one per line).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(l, nil)) }

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// lines gives the log records.
func (l *logBuffer) lines(t testing.TB) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

// headerRecorder is a base transport that remembers the Authorization header of each attempt.
type headerRecorder struct {
	mu      sync.Mutex
	base    http.RoundTripper
	headers []string
}

func (h *headerRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.headers = append(h.headers, req.Header.Get("Authorization"))
	h.mu.Unlock()
	return h.base.RoundTrip(req)
}

func (h *headerRecorder) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.headers...)
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	return string(must[[]byte](t)(io.ReadAll(resp.Body)))
}
