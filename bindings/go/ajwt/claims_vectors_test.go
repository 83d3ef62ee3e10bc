package ajwt_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

type claimCase struct {
	Name     string `json:"name"`
	Token    string `json:"token"`
	Strict   int    `json:"strict"`
	Compat1x int    `json:"compat_1x"`
}

type claimVectors struct {
	Now       int64       `json:"now"`
	PublicKey string      `json:"public_key"`
	Cases     []claimCase `json:"cases"`
}

// statusOf is the first failing status of parse-then-verify (0 when the token passes).
func statusOf(t *testing.T, v *ajwt.Verifier, key *ajwt.Key, token string, now int64) int {
	t.Helper()
	parsed, err := v.Parse(token)
	if err == nil {
		defer parsed.Close()
		err = v.Verify(parsed, key, now)
	}
	if err == nil {
		return 0
	}
	var e *ajwt.Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *ajwt.Error: %v", err)
	}
	return e.Status.Code()
}

// The shared registered-claim and token-policy vectors (tests/vectors/claims), both policies.
func TestClaimVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(vectorsDir(), "claims", "claims-and-policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors claimVectors
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors.Cases) < 50 {
		t.Fatalf("only %d cases", len(vectors.Cases))
	}
	key, err := ajwt.ParsePublicKey([]byte(vectors.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	strict, err := ajwt.NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	compat, err := ajwt.NewVerifier(ajwt.WithCompat(ajwt.Compat1x), ajwt.WithLeeway(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range vectors.Cases {
		if got := statusOf(t, strict, key, c.Token, vectors.Now); got != c.Strict {
			t.Errorf("%s strict: got %d, want %d", c.Name, got, c.Strict)
		}
		if got := statusOf(t, compat, key, c.Token, vectors.Now); got != c.Compat1x {
			t.Errorf("%s 1.x: got %d, want %d", c.Name, got, c.Compat1x)
		}
	}
}

func TestClaimStatusesAndOptions(t *testing.T) {
	for status, text := range map[ajwt.Status]string{
		ajwt.ErrTokenExpPassed: "token expired (exp)", ajwt.ErrTokenNotYetValid: "token not yet valid (nbf)",
		ajwt.ErrTokenIatFuture: "token issued in the future (iat)", ajwt.ErrTokenAudience: "token has an audience (aud)",
		ajwt.ErrTokenRegisteredClaim: "registered claim of the wrong type",
	} {
		if status.Error() != text {
			t.Errorf("%d: %q", status.Code(), status.Error())
		}
	}
	if ajwt.ErrTokenExpPassed.Code() != 60 || ajwt.ErrTokenRegisteredClaim.Code() != 64 {
		t.Error("status numbers moved")
	}
	if _, err := ajwt.NewVerifier(ajwt.WithLeeway(-1)); !errors.Is(err, ajwt.ErrInvalidArgument) {
		t.Errorf("negative leeway: %v", err)
	}
	if _, err := ajwt.NewVerifier(ajwt.WithCompat(ajwt.Compat(9))); !errors.Is(err, ajwt.ErrInvalidArgument) {
		t.Errorf("unknown policy: %v", err)
	}
}
