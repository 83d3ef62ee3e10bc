package ajwthttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
	"github.com/libajwt/libajwt/bindings/go/ajwthttp"
)

// BenchmarkAdapter measures, in one run, requests over loopback (one at a time, keep-alive)
// to the same handler with no authentication and through Transport + Middleware (Ed25519, the
// memory nonce store), and the C ABI's own costs: verifying a token (parse + signature + time)
// and signing one. It prints the per-request overhead, the ratio and the target (one
// verification + 20 µs). Run by hand:
//
//	go test -run '^$' -bench Adapter -benchtime 3s ./ajwthttp
func BenchmarkAdapter(b *testing.B) {
	key := generate(b)
	pub := must[*ajwt.Key](b)(key.Public())
	ns := map[string]float64{}
	measure := func(name string, f func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			f(b)
			ns[name] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		})
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })

	measure("no-auth", func(b *testing.B) {
		srv := httptest.NewServer(ok)
		defer srv.Close()
		get(b, &http.Client{}, srv.URL)
	})
	measure("transport-only", func(b *testing.B) {
		srv := httptest.NewServer(ok)
		defer srv.Close()
		get(b, &http.Client{Transport: &ajwthttp.Transport{Key: key, Username: "alice"}}, srv.URL)
	})
	measure("adapters", func(b *testing.B) {
		store := must[*ajwt.NonceStore](b)(ajwt.NewMemoryNonceStore(0, 0))
		v := must[*ajwt.Verifier](b)(ajwt.NewVerifier(ajwt.WithNonceStore(store)))
		reg := newRegistry()
		reg.addKey(b, "alice", key)
		auth := must[*ajwt.Authenticator](b)(ajwt.NewAuthenticator(v, reg))
		defer auth.Close()
		srv := httptest.NewServer(ajwthttp.Middleware(auth)(ok))
		defer srv.Close()
		get(b, &http.Client{Transport: &ajwthttp.Transport{Key: key, Username: "alice"}}, srv.URL)
	})
	// Without HTTP: the core's one-call authentication, and the same through the middleware's
	// handler (tokens signed before the clock starts): the difference is the Go glue.
	newAuth := func(b *testing.B) *ajwt.Authenticator {
		store := must[*ajwt.NonceStore](b)(ajwt.NewMemoryNonceStore(0, 0))
		v := must[*ajwt.Verifier](b)(ajwt.NewVerifier(ajwt.WithNonceStore(store)))
		reg := newRegistry()
		reg.addKey(b, "alice", key)
		auth := must[*ajwt.Authenticator](b)(ajwt.NewAuthenticator(v, reg))
		b.Cleanup(func() { auth.Close() })
		return auth
	}
	headers := func(b *testing.B) []string {
		h := make([]string, b.N)
		for i := range h {
			h[i] = must[string](b)(ajwt.SignHeader(key, "alice", ajwt.Now()))
		}
		return h
	}
	measure("c-authenticate", func(b *testing.B) {
		auth, hs := newAuth(b), headers(b)
		b.ResetTimer()
		for _, h := range hs {
			if _, err := auth.AuthenticateRequest(h, ajwt.Now(), ajwt.Request{Method: "GET", Target: "/"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	measure("middleware-direct", func(b *testing.B) {
		mw, hs := ajwthttp.Middleware(newAuth(b))(ok), headers(b)
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		b.ResetTimer()
		for _, h := range hs {
			req.Header.Set("Authorization", h)
			w := httptest.NewRecorder()
			mw.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
	measure("c-verify", func(b *testing.B) {
		v := must[*ajwt.Verifier](b)(ajwt.NewVerifier())
		at := ajwt.Now()
		token := must[string](b)(ajwt.Sign(key, ajwt.Claims{Username: "alice", Time: at}))
		b.ResetTimer()
		for range b.N {
			if _, err := v.VerifyToken(token, pub, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	measure("c-sign", func(b *testing.B) {
		at := ajwt.Now()
		for range b.N {
			if _, err := ajwt.Sign(key, ajwt.Claims{Username: "alice", Time: at}); err != nil {
				b.Fatal(err)
			}
		}
	})

	us := func(ns float64) float64 { return ns / float64(time.Microsecond) }
	overhead := ns["adapters"] - ns["no-auth"]
	target := ns["c-verify"] + 20_000
	b.Logf("no auth %.1f µs/request (%.0f req/s); signed through Transport+Middleware %.1f µs/request (%.0f req/s): "+
		"ratio %.2f of the no-auth rate", us(ns["no-auth"]), 1e9/ns["no-auth"], us(ns["adapters"]), 1e9/ns["adapters"],
		ns["no-auth"]/ns["adapters"])
	b.Logf("of which the client side (Transport, signing) %.1f µs, the server side (Middleware) %.1f µs",
		us(ns["transport-only"]-ns["no-auth"]), us(ns["adapters"]-ns["transport-only"]))
	b.Logf("without HTTP: core one-call authenticate %.1f µs, through the middleware's handler %.1f µs: Go glue %.1f µs",
		us(ns["c-authenticate"]), us(ns["middleware-direct"]), us(ns["middleware-direct"]-ns["c-authenticate"]))
	b.Logf("adapter overhead %.1f µs/request; floor: C ABI verify %.1f µs, sign %.1f µs; "+
		"target one verification + 20 µs = %.1f µs (%s); verify + sign + 20 µs = %.1f µs",
		us(overhead), us(ns["c-verify"]), us(ns["c-sign"]), us(target), verdict(overhead <= target),
		us(target+ns["c-sign"]))
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "NOT met"
}

// get sends b.N GET requests one after the other and checks each answer.
func get(b *testing.B, c *http.Client, url string) {
	b.Helper()
	b.ResetTimer()
	for range b.N {
		resp, err := c.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
