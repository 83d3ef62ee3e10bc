// Package ajwthttp puts libajwt on net/http: Middleware authenticates incoming requests,
// Transport signs outgoing ones and JWKSFetcher fetches JWKS URLs for an ajwt.JWKSCache.
// Every check runs in libajwt; this package only moves HTTP requests in and out of it.
package ajwthttp

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// Option configures Middleware.
type Option func(*middleware)

// WithLogger sets where refusals are logged (default slog.Default()): one line per refused
// request with the status, the reason and the claimed username (escaped), never the token.
func WithLogger(l *slog.Logger) Option {
	return func(m *middleware) { m.log = l }
}

// WithBodyDigest lets the verifier's request binding see the body: the middleware reads up to
// maxBytes of it, gives its SHA-256 to the core and hands the handler the whole body unchanged.
// A larger body (or one that fails to read) is "unknown" to the binding check. Without this
// option only the method and target are given.
func WithBodyDigest(maxBytes int64) Option {
	return func(m *middleware) { m.maxBody = maxBytes }
}

// WithClock replaces the clock (Unix seconds; default ajwt.Now), e.g. for tests.
func WithClock(now func() int64) Option {
	return func(m *middleware) { m.now = now }
}

type middleware struct {
	auth    *ajwt.Authenticator
	log     *slog.Logger
	maxBody int64
	now     func() int64
}

type identityKey struct{}

// IdentityFrom gives the verified identity Middleware put in the request's context.
func IdentityFrom(ctx context.Context) (*ajwt.Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(*ajwt.Identity)
	return id, ok
}

// UsernameFrom gives the verified username Middleware put in the request's context.
func UsernameFrom(ctx context.Context) (string, bool) {
	id, ok := IdentityFrom(ctx)
	if !ok {
		return "", false
	}
	return id.Username, true
}

// Middleware authenticates each request's Authorization header with auth
// (ajwt.Authenticator.AuthenticateContext under the request's context, with its method, target
// and, with WithBodyDigest, body). An authenticated request reaches next with the identity in
// its context (IdentityFrom); any other gets 401 with "WWW-Authenticate: JWT" and a log line
// (failures of the server's own stores too: authentication fails closed).
func Middleware(auth *ajwt.Authenticator, opts ...Option) func(http.Handler) http.Handler {
	m := &middleware{auth: auth, log: slog.Default(), now: ajwt.Now}
	for _, opt := range opts {
		opt(m)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			header := r.Header.Get("Authorization")
			req := ajwt.Request{Method: r.Method, Target: r.RequestURI}
			if m.maxBody > 0 {
				req.Body = m.readBody(r)
			}
			id, err := auth.AuthenticateContext(r.Context(), header, m.now(), req)
			if err != nil {
				m.refuse(w, r, header, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), identityKey{}, id)))
		})
	}
}

// readBody reads up to maxBody bytes for the digest and puts them back in front of the rest.
// nil (unknown) when the body is larger or fails to read.
func (m *middleware) readBody(r *http.Request) []byte {
	if r.Body == nil || r.Body == http.NoBody {
		return []byte{}
	}
	read, err := io.ReadAll(io.LimitReader(r.Body, m.maxBody+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(read), r.Body), r.Body}
	if err != nil || int64(len(read)) > m.maxBody {
		return nil
	}
	return read
}

func (m *middleware) refuse(w http.ResponseWriter, r *http.Request, header string, err error) {
	level := slog.LevelWarn
	if !ajwt.IsClientError(err) { // the server's own failure (a store, a repository)
		level = slog.LevelError
	}
	status, _ := ajwt.StatusOf(err)
	m.log.LogAttrs(r.Context(), level, "ajwt: request refused",
		slog.Int("status", int(status)),
		slog.String("reason", err.Error()),
		slog.String("user", escape(m.claimedUsername(header))),
		slog.String("method", r.Method),
		slog.String("path", escape(r.URL.Path)),
		slog.String("remote", r.RemoteAddr))
	w.Header().Set("WWW-Authenticate", "JWT")
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// claimedUsername is the username the token claims ("" when it does not parse), for the log.
func (m *middleware) claimedUsername(header string) string {
	p, err := m.auth.Begin(header)
	if err != nil {
		return ""
	}
	defer p.Close()
	return p.Username()
}

// escape makes attacker-chosen text safe for one log line.
func escape(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
