package ajwt_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

type bindingCase struct {
	Name     string  `json:"name"`
	Token    string  `json:"token"`
	Policy   string  `json:"policy"`
	Audience *string `json:"audience"`
	Request  struct {
		Method *string `json:"method"`
		Target *string `json:"target"`
		Body   *string `json:"body"`
	} `json:"request"`
	Status int `json:"status"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func bindingStatus(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var e *ajwt.Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *ajwt.Error: %v", err)
	}
	return e.Status.Code()
}

// The shared request-binding vectors (tests/vectors/binding).
func TestBindingVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(vectorsDir(), "binding", "request-binding.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors struct {
		Now       int64         `json:"now"`
		PublicKey string        `json:"public_key"`
		Cases     []bindingCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors.Cases) < 20 {
		t.Fatalf("only %d cases", len(vectors.Cases))
	}
	key, err := ajwt.ParsePublicKey([]byte(vectors.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	policies := map[string]ajwt.Binding{"off": ajwt.BindingOff, "when-present": ajwt.BindingWhenPresent,
		"required": ajwt.BindingRequired}
	for _, c := range vectors.Cases {
		opts := []ajwt.VerifierOption{ajwt.WithBinding(policies[c.Policy])}
		if c.Audience != nil {
			opts = append(opts, ajwt.WithAudience(*c.Audience))
		}
		v, err := ajwt.NewVerifier(opts...)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := v.Parse(c.Token)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		req := ajwt.Request{Method: deref(c.Request.Method), Target: deref(c.Request.Target)}
		if c.Request.Body != nil {
			req.Body = []byte(*c.Request.Body)
		}
		if got := bindingStatus(t, v.VerifyRequest(parsed, key, vectors.Now, req)); got != c.Status {
			t.Errorf("%s: got %d, want %d", c.Name, got, c.Status)
		}
		parsed.Close()
		v.Close()
	}
}

func TestSignRequestTamperedPartsAreRefused(t *testing.T) {
	key, err := ajwt.GenerateKey(ajwt.KeyEd25519)
	if err != nil {
		t.Fatal(err)
	}
	public, err := key.Public()
	if err != nil {
		t.Fatal(err)
	}
	const now = 1700000000
	bound := ajwt.Request{Method: "PUT", Target: "/items/1?x=1", Body: []byte("{}"), Audience: "inventory"}
	v, err := ajwt.NewVerifier(ajwt.WithBinding(ajwt.BindingRequired), ajwt.WithAudience("inventory"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		req  ajwt.Request
		want error
	}{
		{"match", ajwt.Request{Method: "PUT", Target: "/items/1?x=1", Body: []byte("{}")}, nil},
		{"method", ajwt.Request{Method: "GET", Target: "/items/1?x=1", Body: []byte("{}")}, ajwt.ErrBindingMethod},
		{"path", ajwt.Request{Method: "PUT", Target: "/items/2?x=1", Body: []byte("{}")}, ajwt.ErrBindingTarget},
		{"query", ajwt.Request{Method: "PUT", Target: "/items/1?x=2", Body: []byte("{}")}, ajwt.ErrBindingTarget},
		{"body", ajwt.Request{Method: "PUT", Target: "/items/1?x=1", Body: []byte("[]")}, ajwt.ErrBindingBody},
	} {
		token, err := ajwt.SignRequest(key, ajwt.Claims{Username: "alice", Time: now}, ajwt.AlgDefault, bound)
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := v.Parse(token)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.VerifyRequest(parsed, public, now, tc.req); !errors.Is(err, tc.want) && !(err == nil && tc.want == nil) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	other, _ := ajwt.NewVerifier(ajwt.WithBinding(ajwt.BindingWhenPresent), ajwt.WithAudience("billing"))
	token, _ := ajwt.SignRequest(key, ajwt.Claims{Username: "alice", Time: now}, ajwt.AlgDefault, bound)
	parsed, _ := other.Parse(token)
	if err := other.VerifyRequest(parsed, public, now, bound); !errors.Is(err, ajwt.ErrBindingAudience) {
		t.Errorf("audience: got %v", err)
	}
	unbound, _ := ajwt.Sign(key, ajwt.Claims{Username: "alice", Time: now})
	parsed, _ = v.Parse(unbound)
	if err := v.VerifyRequest(parsed, public, now, bound); !errors.Is(err, ajwt.ErrBindingRequired) {
		t.Errorf("required: got %v", err)
	}
}

// AuthenticateRequest passes the request to the authenticator's verifier policy.
func TestAuthenticateRequestBinding(t *testing.T) {
	const now = 1700000000
	alice := generate(t, ajwt.KeyEd25519)
	repo := newMemRepo()
	repo.register(t, "alice", alice)
	v := newVerifier(t, ajwt.WithBinding(ajwt.BindingRequired))
	auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(v, keysOnly{repo}))
	defer auth.Close()
	bound := ajwt.Request{Method: "POST", Target: "/orders?page=2", Body: []byte(`{"n":1}`)}
	token := must[string](t)(ajwt.SignRequest(alice, ajwt.Claims{Username: "alice", Time: now}, ajwt.AlgDefault, bound))
	for _, tc := range []struct {
		name string
		req  ajwt.Request
		want ajwt.Status
	}{
		{"method", ajwt.Request{Method: "PUT", Target: bound.Target, Body: bound.Body}, ajwt.ErrBindingMethod},
		{"target", ajwt.Request{Method: "POST", Target: "/orders?page=3", Body: bound.Body}, ajwt.ErrBindingTarget},
		{"body", ajwt.Request{Method: "POST", Target: bound.Target, Body: []byte(`{"n":2}`)}, ajwt.ErrBindingBody},
	} {
		id, err := auth.AuthenticateRequest("JWT "+token, now, tc.req)
		if !errors.Is(err, tc.want) || id != nil {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
	id := must[*ajwt.Identity](t)(auth.AuthenticateRequest("JWT "+token, now, bound))
	defer id.Key.Close()
	if id.Username != "alice" {
		t.Errorf("username %q", id.Username)
	}
	if _, err := auth.Authenticate("JWT "+token, now); !errors.Is(err, ajwt.ErrBindingMethod) {
		t.Errorf("without the request: got %v", err)
	}
	unbound := header(t, alice, "alice", now)
	if _, err := auth.AuthenticateRequest(unbound, now, bound); !errors.Is(err, ajwt.ErrBindingRequired) {
		t.Errorf("unbound token: got %v", err)
	}
}
