package ajwt_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// vectorsDir is the repository's tests/vectors (AJWT_VECTORS_DIR overrides it).
func vectorsDir() string {
	if dir := os.Getenv("AJWT_VECTORS_DIR"); dir != "" {
		return dir
	}
	return filepath.Join("..", "..", "..", "tests", "vectors")
}

type compatKey struct {
	Text              string            `json:"text"`
	Type              string            `json:"type"`
	Fingerprint       string            `json:"fingerprint"`
	AllowedAlgorithms []string          `json:"allowed_algorithms"`
	JWK               map[string]string `json:"jwk"`
	Comment           string            `json:"comment"`
}

type compatPrivateKey struct {
	Text          string  `json:"text"`
	Password      *string `json:"password"`
	PublicPEM     string  `json:"public_pem"`
	PublicOpenSSH string  `json:"public_openssh"`
}

type compatVectors struct {
	PublicKeys        map[string]compatKey        `json:"public_keys"`
	InvalidPublicKeys map[string]string           `json:"invalid_public_keys"`
	PrivateKeys       map[string]compatPrivateKey `json:"private_keys"`
	Token             struct {
		PayloadExample struct {
			Username string `json:"username"`
			Time     int64  `json:"time"`
			Nonce    string `json:"nonce"`
		} `json:"payload_example"`
		TimeToleranceSeconds int64 `json:"time_tolerance_seconds"`
	} `json:"token"`
}

var loadCompat = sync.OnceValues(func() (*compatVectors, error) {
	data, err := os.ReadFile(filepath.Join(vectorsDir(), "compat", "asymmetric-jwt-auth-1.x.json"))
	if err != nil {
		return nil, err
	}
	var v compatVectors
	return &v, json.Unmarshal(data, &v)
})

func compat(t testing.TB) *compatVectors {
	t.Helper()
	v, err := loadCompat()
	if err != nil {
		t.Fatalf("compat vectors: %v", err)
	}
	return v
}

// compatRSA is the RSA private key of the compat vectors (its public half is public_keys.rsa_pem).
func compatRSA(t testing.TB) *ajwt.Key {
	t.Helper()
	k, err := ajwt.ParsePrivateKey([]byte(compat(t).PrivateKeys["rsa_pkcs8_pem"].Text), nil)
	if err != nil {
		t.Fatalf("compat RSA key: %v", err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func generate(t testing.TB, kt ajwt.KeyType) *ajwt.Key {
	t.Helper()
	k, err := ajwt.GenerateKey(kt)
	if err != nil {
		t.Fatalf("GenerateKey(%v): %v", kt, err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

func public(t testing.TB, k *ajwt.Key) *ajwt.Key {
	t.Helper()
	p, err := k.Public()
	if err != nil {
		t.Fatalf("Public: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
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

func sign(t testing.TB, k *ajwt.Key, username string, at int64, nonce string) string {
	t.Helper()
	return must[string](t)(ajwt.Sign(k, ajwt.Claims{Username: username, Time: at, Nonce: nonce}))
}

// wantStatus fails unless err is an *ajwt.Error with the given status.
func wantStatus(t testing.TB, err error, want ajwt.Status) {
	t.Helper()
	var e *ajwt.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an *ajwt.Error with status %d (%v)", err, int(want), want)
	}
	if e.Status != want || !errors.Is(err, want) {
		t.Fatalf("got status %d (%v), want %d (%v)", int(e.Status), err, int(want), want)
	}
}

const now = int64(1_700_000_000)
