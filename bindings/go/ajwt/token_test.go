package ajwt_test

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

func decodeSegment(t *testing.T, s string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The token layout of asymmetric-jwt-auth 1.x: header {alg, typ, kid = fingerprint}, claims
// {username, time, nonce}.
func TestSignCompatLayout(t *testing.T) {
	c := compat(t)
	ex := c.Token.PayloadExample
	for _, tc := range []struct {
		key *ajwt.Key
		alg string
	}{{compatRSA(t), "RS512"}, {generate(t, ajwt.KeyEd25519), "EdDSA"}} {
		token := sign(t, tc.key, ex.Username, ex.Time, ex.Nonce)
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			t.Fatalf("token %q", token)
		}
		header, claims := decodeSegment(t, parts[0]), decodeSegment(t, parts[1])
		fp := must[string](t)(tc.key.Fingerprint())
		if header["alg"] != tc.alg || header["typ"] != "JWT" || header["kid"] != fp {
			t.Errorf("header %v", header)
		}
		if claims["username"] != ex.Username || claims["time"] != float64(ex.Time) || claims["nonce"] != ex.Nonce {
			t.Errorf("claims %v", claims)
		}
	}
	if fp := must[string](t)(compatRSA(t).Fingerprint()); fp != c.PublicKeys["rsa_pem"].Fingerprint {
		t.Fatalf("kid of the compat key %s", fp)
	}
}

func TestParseAndClaimedUsername(t *testing.T) {
	k := compatRSA(t)
	token := sign(t, k, "guido", 1439216312, "n0nce")
	tok := must[*ajwt.Token](t)(ajwt.ParseToken(token))
	defer tok.Close()
	kid, ok := tok.Kid()
	if tok.Username() != "guido" || tok.Time() != 1439216312 || tok.Nonce() != "n0nce" || tok.Alg() != ajwt.RS512 ||
		!ok || kid != compat(t).PublicKeys["rsa_pem"].Fingerprint {
		t.Fatalf("parsed %q %d %q %v %q", tok.Username(), tok.Time(), tok.Nonce(), tok.Alg(), kid)
	}
	if u := must[string](t)(ajwt.ClaimedUsername(token)); u != "guido" {
		t.Fatalf("claimed %q", u)
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	good := sign(t, generate(t, ajwt.KeyEd25519), "u", now, "n")
	parts := strings.Split(good, ".")
	cases := map[string]ajwt.Status{
		"":                        ajwt.ErrTokenFormat,
		"a.b":                     ajwt.ErrTokenFormat,
		parts[0] + "." + parts[1]: ajwt.ErrTokenFormat,
		"!!." + parts[1] + ".sig": ajwt.ErrTokenBase64,
		strings.Repeat("a", 9000): ajwt.ErrTokenTooLarge,
		b64(`{"alg":"EdDSA","typ":"JWT"}`) + "." + b64(`{"username":"u","time":1,"nonce":"n"`) + ".c2ln":    ajwt.ErrTokenJSON,
		b64(`{"typ":"JWT"}`) + "." + parts[1] + ".c2ln":                                                     ajwt.ErrTokenHeader,
		b64(`{"alg":"EdDSA","typ":"JWT"}`) + "." + b64(`{"username":"","time":1,"nonce":"n"}`) + ".c2ln":    ajwt.ErrTokenClaims,
		b64(`{"alg":"EdDSA","typ":"JWT"}`) + "." + b64(`{"username":7,"time":1,"nonce":"n"}`) + ".c2ln":     ajwt.ErrTokenClaims,
		b64(`{"alg":"EdDSA","typ":"JWT"}`) + "." + b64(`{"username":"u","time":"1","nonce":"n"}`) + ".c2ln": ajwt.ErrTokenTime,
	}
	for token, want := range cases {
		_, err := ajwt.ParseToken(token)
		if err == nil {
			t.Errorf("%.40q parsed", token)
			continue
		}
		if s, _ := ajwt.StatusOf(err); s != want {
			t.Errorf("%.60q: %v, want %v", token, err, want)
		}
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestAuthHeader(t *testing.T) {
	if h := must[string](t)(ajwt.AuthHeader("", "a.b.c")); h != "JWT a.b.c" {
		t.Fatalf("%q", h)
	}
	if h := must[string](t)(ajwt.AuthHeader("Bearer", "a.b.c")); h != "Bearer a.b.c" {
		t.Fatalf("%q", h)
	}
	k := generate(t, ajwt.KeyEd25519)
	h := must[string](t)(ajwt.SignHeader(k, "alice", now))
	token, ok := strings.CutPrefix(h, "JWT ")
	if !ok {
		t.Fatalf("header %q", h)
	}
	tok := must[*ajwt.Token](t)(ajwt.ParseToken(token))
	defer tok.Close()
	if tok.Username() != "alice" || tok.Time() != now {
		t.Fatal("SignHeader claims")
	}
}

func TestNonces(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9_-]{11}$`)
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		n := must[string](t)(ajwt.NewNonce())
		if !re.MatchString(n) || seen[n] {
			t.Fatalf("nonce %q (repeat %v)", n, seen[n])
		}
		seen[n] = true
	}
	k := generate(t, ajwt.KeyEd25519)
	a := must[*ajwt.Token](t)(ajwt.ParseToken(sign(t, k, "u", now, "")))
	b := must[*ajwt.Token](t)(ajwt.ParseToken(sign(t, k, "u", now, "")))
	if !re.MatchString(a.Nonce()) || a.Nonce() == b.Nonce() {
		t.Fatalf("Sign's own nonces %q %q", a.Nonce(), b.Nonce())
	}
}

func TestSignAlgAndErrors(t *testing.T) {
	k := compatRSA(t)
	for _, alg := range []ajwt.Alg{ajwt.RS256, ajwt.RS384, ajwt.PS256} {
		tok := must[*ajwt.Token](t)(ajwt.ParseToken(must[string](t)(ajwt.SignAlg(k, ajwt.Claims{Username: "u", Time: now, Nonce: "n"}, alg))))
		if tok.Alg() != alg {
			t.Errorf("signed %v, header says %v", alg, tok.Alg())
		}
		tok.Close()
	}
	_, err := ajwt.SignAlg(k, ajwt.Claims{Username: "u", Time: now, Nonce: "n"}, ajwt.EdDSA)
	wantStatus(t, err, ajwt.ErrAlgorithmNotAllowed)
	_, err = ajwt.Sign(public(t, k), ajwt.Claims{Username: "u", Time: now, Nonce: "n"})
	wantStatus(t, err, ajwt.ErrNotPrivateKey)
	// An empty username is signed (as asymmetric-jwt-auth 1.x signs it); parsing refuses it.
	empty, err := ajwt.Sign(k, ajwt.Claims{Username: "", Time: now, Nonce: "n"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ajwt.ParseToken(empty)
	wantStatus(t, err, ajwt.ErrTokenClaims)
}

func TestVerifySignature(t *testing.T) {
	k := generate(t, ajwt.KeyEd25519)
	token := sign(t, k, "u", now, "n")
	i := strings.LastIndexByte(token, '.')
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	if err := ajwt.VerifySignature(k, ajwt.EdDSA, []byte(token[:i]), sig); err != nil {
		t.Fatal(err)
	}
	sig[0] ^= 1
	wantStatus(t, ajwt.VerifySignature(k, ajwt.EdDSA, []byte(token[:i]), sig), ajwt.ErrBadSignature)
}
