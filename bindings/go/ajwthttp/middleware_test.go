package ajwthttp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
	"github.com/libajwt/libajwt/bindings/go/ajwthttp"
)

// service is a protected handler behind the middleware on a real loopback server; it answers
// "<user> <body it read>".
type service struct {
	url  string
	log  *logBuffer
	reg  *registry
	auth *ajwt.Authenticator
}

func newService(t *testing.T, verifierOpts []ajwt.VerifierOption, mwOpts ...ajwthttp.Option) *service {
	t.Helper()
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStore(0, 0))
	v := must[*ajwt.Verifier](t)(ajwt.NewVerifier(append(verifierOpts, ajwt.WithNonceStore(store))...))
	s := &service{log: &logBuffer{}, reg: newRegistry()}
	s.auth = must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(v, s.reg))
	t.Cleanup(func() { s.auth.Close() })
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, ok := ajwthttp.UsernameFrom(r.Context())
		if !ok {
			http.Error(w, "no user in the context", http.StatusInternalServerError)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%s %s", user, body)
	})
	mw := ajwthttp.Middleware(s.auth, append([]ajwthttp.Option{ajwthttp.WithLogger(s.log.logger())}, mwOpts...)...)
	srv := httptest.NewServer(mw(handler))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func client(key *ajwt.Key, username string, base http.RoundTripper) *http.Client {
	return &http.Client{Transport: &ajwthttp.Transport{Base: base, Key: key, Username: username}}
}

func TestMiddlewareAcceptsSignedRequestAndPutsTheUserInTheContext(t *testing.T) {
	s := newService(t, nil)
	alice := generate(t)
	s.reg.addKey(t, "alice", alice)
	resp := must[*http.Response](t)(client(alice, "alice", nil).Get(s.url + "/whoami"))
	if body := readAll(t, resp); resp.StatusCode != http.StatusOK || body != "alice " {
		t.Fatalf("got %d %q, want 200 %q", resp.StatusCode, body, "alice ")
	}
	if got := s.log.String(); got != "" {
		t.Fatalf("an accepted request was logged: %s", got)
	}
}

func TestMiddlewareRefusesWith401HeaderAndLogLine(t *testing.T) {
	s := newService(t, nil)
	alice, mallory := generate(t), generate(t)
	s.reg.addKey(t, "alice", alice)
	recorder := &headerRecorder{base: http.DefaultTransport}
	resp := must[*http.Response](t)(client(alice, "alice", recorder).Get(s.url + "/"))
	readAll(t, resp)
	accepted := recorder.all()[0]

	cases := []struct {
		name, header, user string
		status             ajwt.Status
	}{
		{"no header", "", "", ajwt.ErrNoAuthHeader},
		{"replayed token", accepted, "alice", ajwt.ErrNonceReplayed},
		{"wrong key", must[string](t)(ajwt.SignHeader(mallory, "alice", ajwt.Now())), "alice", ajwt.ErrBadSignature},
		{"unknown user, escaped", must[string](t)(ajwt.SignHeader(mallory, "mal\nlory", ajwt.Now())), `mal\nlory`, ajwt.ErrUnknownUser},
		{"garbage", "JWT not-a-token", "", ajwt.ErrTokenFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(s.log.lines(t))
			req := must[*http.Request](t)(http.NewRequest(http.MethodGet, s.url+"/", nil))
			if c.header != "" {
				req.Header.Set("Authorization", c.header)
			}
			resp := must[*http.Response](t)(http.DefaultClient.Do(req))
			readAll(t, resp)
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "JWT" {
				t.Fatalf("got %d WWW-Authenticate %q, want 401 %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), "JWT")
			}
			lines := s.log.lines(t)
			if len(lines) != before+1 {
				t.Fatalf("got %d new log lines, want 1: %s", len(lines)-before, s.log.String())
			}
			line := lines[before]
			if int(line["status"].(float64)) != int(c.status) || line["user"] != c.user {
				t.Fatalf("log line %v: want status %d (%v) and user %q", line, int(c.status), c.status, c.user)
			}
			if token, _ := strings.CutPrefix(c.header, "JWT "); len(token) > 20 && strings.Contains(s.log.String(), token[len(token)-20:]) {
				t.Fatalf("the log holds the token: %s", s.log.String())
			}
		})
	}
}

func TestMiddlewareBindsTheBodyAndTheHandlerStillReadsIt(t *testing.T) {
	s := newService(t, []ajwt.VerifierOption{ajwt.WithBinding(ajwt.BindingRequired)}, ajwthttp.WithBodyDigest(1024))
	alice := generate(t)
	s.reg.addKey(t, "alice", alice)
	bound := &http.Client{Transport: &ajwthttp.Transport{Key: alice, Username: "alice", BindRequest: true}}

	resp := must[*http.Response](t)(bound.Post(s.url+"/upload?x=1", "text/plain", strings.NewReader("payload")))
	if body := readAll(t, resp); resp.StatusCode != http.StatusOK || body != "alice payload" {
		t.Fatalf("bound POST: got %d %q, want 200 %q", resp.StatusCode, body, "alice payload")
	}

	// The body changed after signing: the core sees the digest differ.
	tampered := &http.Client{Transport: &ajwthttp.Transport{Key: alice, Username: "alice", BindRequest: true,
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r.Body = io.NopCloser(strings.NewReader("PAYLOAD"))
			return http.DefaultTransport.RoundTrip(r)
		})}}
	resp = must[*http.Response](t)(tampered.Post(s.url+"/upload", "text/plain", strings.NewReader("payload")))
	readAll(t, resp)
	lines := s.log.lines(t)
	if resp.StatusCode != http.StatusUnauthorized || int(lines[len(lines)-1]["status"].(float64)) != int(ajwt.ErrBindingBody) {
		t.Fatalf("tampered body: got %d, log %s; want 401 with status %d", resp.StatusCode, s.log.String(), int(ajwt.ErrBindingBody))
	}
}

func TestMiddlewareBodyOverTheCapIsUnknownAndStaysWhole(t *testing.T) {
	s := newService(t, []ajwt.VerifierOption{ajwt.WithBinding(ajwt.BindingWhenPresent)}, ajwthttp.WithBodyDigest(16))
	alice := generate(t)
	s.reg.addKey(t, "alice", alice)
	large := strings.Repeat("0123456789", 100)
	// The client binds bodies up to 16 bytes too: this one is sent with method and target bound only.
	c := &http.Client{Transport: &ajwthttp.Transport{Key: alice, Username: "alice", BindRequest: true, MaxBodyBytes: 16}}
	resp := must[*http.Response](t)(c.Post(s.url+"/big", "text/plain", strings.NewReader(large)))
	if body := readAll(t, resp); resp.StatusCode != http.StatusOK || body != "alice "+large {
		t.Fatalf("got %d %q..., want 200 and the whole body", resp.StatusCode, body[:min(len(body), 40)])
	}
	// A token that binds the body cannot pass when the body is over the server's cap: an
	// unknown body never matches a bound digest.
	c = &http.Client{Transport: &ajwthttp.Transport{Key: alice, Username: "alice", BindRequest: true}}
	resp = must[*http.Response](t)(c.Post(s.url+"/big", "text/plain", strings.NewReader(large)))
	readAll(t, resp)
	lines := s.log.lines(t)
	if resp.StatusCode != http.StatusUnauthorized || int(lines[len(lines)-1]["status"].(float64)) != int(ajwt.ErrBindingBody) {
		t.Fatalf("bound large body: got %d, log %s; want 401 with status %d", resp.StatusCode, s.log.String(), int(ajwt.ErrBindingBody))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// retrying resends a request once when the answer is 503, as retry libraries do: each attempt
// goes through the signing transport again.
type retrying struct{ next http.RoundTripper }

func (r retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		return resp, err
	}
	resp.Body.Close()
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
	return r.next.RoundTrip(req)
}

func TestTransportSignsEachAttemptAfresh(t *testing.T) {
	s := newService(t, []ajwt.VerifierOption{ajwt.WithBinding(ajwt.BindingRequired)}, ajwthttp.WithBodyDigest(1024))
	alice := generate(t)
	s.reg.addKey(t, "alice", alice)
	// A front that answers 503 to the first attempt, after the token was checked and its nonce
	// recorded: resending the same token would be a replay.
	attempts := 0
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts++
		out := must[*http.Request](t)(http.NewRequest(r.Method, s.url+r.RequestURI, r.Body))
		out.Header = r.Header.Clone()
		resp := must[*http.Response](t)(http.DefaultTransport.RoundTrip(out))
		body := readAll(t, resp)
		if attempts == 1 && resp.StatusCode == http.StatusOK {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(resp.StatusCode)
		io.WriteString(w, body)
	}))
	defer front.Close()
	recorder := &headerRecorder{base: http.DefaultTransport}
	c := &http.Client{Transport: retrying{&ajwthttp.Transport{Base: recorder, Key: alice, Username: "alice", BindRequest: true}}}
	resp := must[*http.Response](t)(c.Post(front.URL+"/submit", "text/plain", bytes.NewReader([]byte("data"))))
	if body := readAll(t, resp); resp.StatusCode != http.StatusOK || body != "alice data" {
		t.Fatalf("retried request: got %d %q, want 200 %q", resp.StatusCode, body, "alice data")
	}
	headers := recorder.all()
	if len(headers) != 2 || headers[0] == headers[1] || headers[0] == "" {
		t.Fatalf("want two attempts with different tokens, got %q", headers)
	}

	// A redirect is a new attempt too: 307 keeps method and body, and the target changes.
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.url+"/moved", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	resp = must[*http.Response](t)(c.Post(redirect.URL+"/old", "text/plain", strings.NewReader("moved body")))
	if body := readAll(t, resp); resp.StatusCode != http.StatusOK || body != "alice moved body" {
		t.Fatalf("redirected request: got %d %q, want 200 %q", resp.StatusCode, body, "alice moved body")
	}
}

func TestTransportLeavesTheCallersRequestAlone(t *testing.T) {
	alice := generate(t)
	tr := &ajwthttp.Transport{Key: alice, Username: "alice", Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: r}, nil
	})}
	req := must[*http.Request](t)(http.NewRequest(http.MethodGet, "http://example.invalid/", nil))
	resp := must[*http.Response](t)(tr.RoundTrip(req))
	if req.Header.Get("Authorization") != "" || !strings.HasPrefix(resp.Request.Header.Get("Authorization"), "JWT ") {
		t.Fatalf("caller's request: %q; sent: %q", req.Header.Get("Authorization"), resp.Request.Header.Get("Authorization"))
	}
	closedKey := generate(t)
	closedKey.Close()
	_, err := (&ajwthttp.Transport{Key: closedKey, Username: "alice"}).RoundTrip(req)
	if !errors.Is(err, ajwt.ErrInvalidArgument) {
		t.Fatalf("closed key: got %v, want ErrInvalidArgument", err)
	}
}

// ctxRepository checks that the repository is called with the request's context.
type ctxRepository struct {
	*registry
	seen chan any
}

type markKey struct{}

func (r ctxRepository) UserKeysContext(ctx context.Context, username, kid string, keys *ajwt.KeySet) error {
	r.seen <- ctx.Value(markKey{})
	return r.UserKeys(username, kid, keys)
}

func TestMiddlewareGivesTheRequestContextToTheRepository(t *testing.T) {
	reg := newRegistry()
	alice := generate(t)
	reg.addKey(t, "alice", alice)
	repo := ctxRepository{reg, make(chan any, 1)}
	v := must[*ajwt.Verifier](t)(ajwt.NewVerifier())
	auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(v, repo))
	defer auth.Close()
	inner := ajwthttp.Middleware(auth)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	outer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), markKey{}, "this request")))
	})
	srv := httptest.NewServer(outer)
	defer srv.Close()
	resp := must[*http.Response](t)(client(alice, "alice", nil).Get(srv.URL))
	readAll(t, resp)
	if got := <-repo.seen; resp.StatusCode != http.StatusOK || got != "this request" {
		t.Fatalf("got %d, repository context value %v", resp.StatusCode, got)
	}
}
