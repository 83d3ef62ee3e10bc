package ajwthttp_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
	"github.com/libajwt/libajwt/bindings/go/ajwthttp"
)

// jwksEndpoint serves a JWK Set that the test replaces (key rotation) and counts the GETs.
type jwksEndpoint struct {
	mu      sync.Mutex
	doc     []byte
	fetches atomic.Int32
}

func (e *jwksEndpoint) publish(t testing.TB, keys ...*ajwt.Key) {
	t.Helper()
	set := must[*ajwt.KeySet](t)(ajwt.NewKeySet())
	defer set.Close()
	for _, k := range keys {
		if err := set.Add(must[*ajwt.Key](t)(k.Public())); err != nil {
			t.Fatal(err)
		}
	}
	doc := must[[]byte](t)(set.JWKS())
	e.mu.Lock()
	e.doc = doc
	e.mu.Unlock()
}

func (e *jwksEndpoint) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	e.fetches.Add(1)
	e.mu.Lock()
	defer e.mu.Unlock()
	w.Header().Set("Content-Type", "application/jwk-set+json")
	w.Write(e.doc)
}

func TestJWKSKeysAreFetchedCachedAndRotatedAfterTheTTL(t *testing.T) {
	endpoint := &jwksEndpoint{}
	jwksServer := httptest.NewServer(endpoint)
	defer jwksServer.Close()
	oldKey, newKey := generate(t), generate(t)
	endpoint.publish(t, oldKey)

	const ttl = 5
	cache := must[*ajwt.JWKSCache](t)(ajwthttp.NewJWKSCache(nil, ajwt.WithJWKSTTL(ttl*time.Second),
		ajwt.WithJWKSRefreshCooldown(time.Second)))
	defer cache.Close()
	reg := newRegistry()
	reg.jwks["svc"] = []string{jwksServer.URL + "/.well-known/jwks.json"}
	v := must[*ajwt.Verifier](t)(ajwt.NewVerifier())
	auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(v, reg, ajwt.WithJWKSCache(cache)))
	defer auth.Close()
	var clock atomic.Int64
	start := ajwt.Now()
	clock.Store(start)
	logs := &logBuffer{}
	mw := ajwthttp.Middleware(auth, ajwthttp.WithClock(clock.Load), ajwthttp.WithLogger(logs.logger()))
	srv := httptest.NewServer(mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := ajwthttp.UsernameFrom(r.Context())
		w.Write([]byte(user))
	})))
	defer srv.Close()
	status := func(key *ajwt.Key) int {
		t.Helper()
		c := &http.Client{Transport: &ajwthttp.Transport{Key: key, Username: "svc", Now: clock.Load}}
		resp := must[*http.Response](t)(c.Get(srv.URL + "/whoami"))
		readAll(t, resp)
		return resp.StatusCode
	}

	if got := status(oldKey); got != http.StatusOK || endpoint.fetches.Load() != 1 {
		t.Fatalf("first request: got %d after %d fetches, want 200 after 1", got, endpoint.fetches.Load())
	}
	endpoint.publish(t, newKey) // rotation
	clock.Store(start + 1)
	if got := status(oldKey); got != http.StatusOK || endpoint.fetches.Load() != 1 {
		t.Fatalf("within the TTL: got %d after %d fetches, want 200 from the cache", got, endpoint.fetches.Load())
	}
	clock.Store(start + ttl + 1)
	status(oldKey) // stale set served, refresh in the background
	cache.WaitIdle()
	if endpoint.fetches.Load() != 2 {
		t.Fatalf("after the TTL: %d fetches, want 2", endpoint.fetches.Load())
	}
	if got := status(newKey); got != http.StatusOK {
		t.Fatalf("rotated key after the TTL: got %d, want 200; log %s", got, logs.String())
	}
	if got := status(oldKey); got != http.StatusUnauthorized {
		t.Fatalf("removed key after the refresh: got %d, want 401", got)
	}
	if !strings.Contains(logs.String(), `"status":`) {
		t.Fatalf("the refusal was not logged: %s", logs.String())
	}
}

func TestJWKSFetcherCapsTheBodyAndFollowsNoRedirect(t *testing.T) {
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(strings.Repeat(" ", 10000)))
	}))
	defer big.Close()
	status, body, err := ajwthttp.JWKSFetcher{}.FetchJWKS(big.URL, time.Second, 100)
	if err != nil || status != http.StatusOK || len(body) != 101 {
		t.Fatalf("over the cap: got %d, %d bytes, %v; want 200 and cap+1 bytes", status, len(body), err)
	}
	moved := httptest.NewServer(http.RedirectHandler(big.URL, http.StatusFound))
	defer moved.Close()
	if status, _, err = (ajwthttp.JWKSFetcher{}).FetchJWKS(moved.URL, time.Second, 100); err != nil || status != http.StatusFound {
		t.Fatalf("redirect: got %d, %v; want 302 as is", status, err)
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer slow.Close()
	if _, _, err = (ajwthttp.JWKSFetcher{}).FetchJWKS(slow.URL, 50*time.Millisecond, 100); err == nil {
		t.Fatal("a GET past its timeout succeeded")
	}
}
