package ajwt_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

func TestVersionMatchesHeader(t *testing.T) {
	if ajwt.Version() != ajwt.HeaderVersion {
		t.Fatalf("loaded libajwt %s, compiled against ajwt.h %s", ajwt.Version(), ajwt.HeaderVersion)
	}
	if ajwt.VersionNumber() != ajwt.HeaderVersionNumber {
		t.Fatalf("version number %d, header %d", ajwt.VersionNumber(), ajwt.HeaderVersionNumber)
	}
}

var keyTypeNames = map[string]ajwt.KeyType{"RSA": ajwt.KeyRSA, "Ed25519": ajwt.KeyEd25519}

func algNames(algs []ajwt.Alg) []string {
	names := make([]string, len(algs))
	for i, a := range algs {
		names[i] = a.String()
	}
	return names
}

func TestCompatPublicKeys(t *testing.T) {
	for name, v := range compat(t).PublicKeys {
		t.Run(name, func(t *testing.T) {
			k := must[*ajwt.Key](t)(ajwt.ParsePublicKey([]byte(v.Text)))
			defer k.Close()
			if k.IsPrivate() {
				t.Error("public key reported private")
			}
			if got := k.Type(); got != keyTypeNames[v.Type] {
				t.Errorf("type %v, want %s", got, v.Type)
			}
			if v.Fingerprint != "" {
				if fp := must[string](t)(k.Fingerprint()); fp != v.Fingerprint {
					t.Errorf("fingerprint %s, want %s", fp, v.Fingerprint)
				}
			}
			if v.AllowedAlgorithms != nil && !reflect.DeepEqual(algNames(k.Algorithms()), v.AllowedAlgorithms) {
				t.Errorf("algorithms %v, want %v", algNames(k.Algorithms()), v.AllowedAlgorithms)
			}
			if v.Comment != "" && k.Comment() != v.Comment {
				t.Errorf("comment %q, want %q", k.Comment(), v.Comment)
			}
			if v.JWK != nil {
				var jwk map[string]string
				if err := json.Unmarshal([]byte(must[string](t)(k.JWK())), &jwk); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(jwk, v.JWK) {
					t.Errorf("JWK %v, want %v", jwk, v.JWK)
				}
				// The JWK loads back to the same key, with the same fingerprint.
				again := must[*ajwt.Key](t)(ajwt.ParsePublicKeyFormat([]byte(must[string](t)(k.JWK())), ajwt.FormatJWK))
				defer again.Close()
				if !again.Equal(k) || must[string](t)(again.Fingerprint()) != v.Fingerprint {
					t.Error("JWK round trip changed the key")
				}
			}
		})
	}
}

func TestCompatInvalidPublicKeysFail(t *testing.T) {
	for name, text := range compat(t).InvalidPublicKeys {
		t.Run(name, func(t *testing.T) {
			k, err := ajwt.ParsePublicKey([]byte(text))
			if err == nil {
				k.Close()
				t.Fatal("corrupted key loaded")
			}
			if s, ok := ajwt.StatusOf(err); !ok || s == ajwt.ErrInternal {
				t.Fatalf("want a key error, got %v", err)
			}
		})
	}
}

func TestCompatPrivateKeys(t *testing.T) {
	c := compat(t)
	plain := c.PrivateKeys["rsa_pkcs8_pem"]
	k := must[*ajwt.Key](t)(ajwt.ParsePrivateKey([]byte(plain.Text), nil))
	defer k.Close()
	if !k.IsPrivate() || k.Type() != ajwt.KeyRSA || k.Bits() != 2048 {
		t.Fatalf("private %v type %v bits %d", k.IsPrivate(), k.Type(), k.Bits())
	}
	if pem := must[string](t)(k.PublicPEM()); pem != plain.PublicPEM {
		t.Errorf("public PEM\n%s\nwant\n%s", pem, plain.PublicPEM)
	}
	if fp := must[string](t)(k.Fingerprint()); fp != c.PublicKeys["rsa_pem"].Fingerprint {
		t.Errorf("fingerprint of the private key %s", fp)
	}

	enc := c.PrivateKeys["rsa_traditional_encrypted_pem"]
	_, err := ajwt.ParsePrivateKey([]byte(enc.Text), nil)
	wantStatus(t, err, ajwt.ErrPasswordRequired)
	_, err = ajwt.ParsePrivateKey([]byte(enc.Text), []byte("not the password"))
	wantStatus(t, err, ajwt.ErrWrongPassword)
	ek := must[*ajwt.Key](t)(ajwt.ParsePrivateKey([]byte(enc.Text), []byte(*enc.Password)))
	defer ek.Close()
	ssh := must[string](t)(ek.OpenSSH())
	fields := strings.Fields(enc.PublicOpenSSH)
	if !strings.HasPrefix(ssh, fields[0]+" "+fields[1]) {
		t.Errorf("OpenSSH export %q, want the key of %q", ssh, enc.PublicOpenSSH)
	}
}

func TestPublicKeyIsNotAPrivateKey(t *testing.T) {
	_, err := ajwt.ParsePrivateKey([]byte(compat(t).PublicKeys["rsa_pem"].Text), nil)
	if err == nil {
		t.Fatal("a public key loaded as private")
	}
}

func TestGenerateExportReload(t *testing.T) {
	for _, kt := range []ajwt.KeyType{ajwt.KeyRSA, ajwt.KeyEd25519, ajwt.KeyEd448, ajwt.KeyECP256, ajwt.KeyECP384, ajwt.KeyECP521} {
		t.Run(kt.String(), func(t *testing.T) {
			k := generate(t, kt)
			if !k.IsPrivate() || k.Type() != kt {
				t.Fatalf("generated private=%v type=%v", k.IsPrivate(), k.Type())
			}
			pub := public(t, k)
			if pub.IsPrivate() || !pub.Equal(k) {
				t.Fatal("Public() is not the public half")
			}
			fp := must[string](t)(k.Fingerprint())
			if len(fp) != 64 || fp != must[string](t)(pub.Fingerprint()) {
				t.Fatalf("fingerprints %s / %s", fp, must[string](t)(pub.Fingerprint()))
			}
			for _, f := range []struct {
				export ajwt.ExportFormat
				load   ajwt.KeyFormat
			}{{ajwt.ExportPublicPEM, ajwt.FormatPEM}, {ajwt.ExportPublicJWK, ajwt.FormatJWK}, {ajwt.ExportPublicOpenSSH, ajwt.FormatOpenSSH}} {
				text, err := k.Export(f.export, nil)
				if f.export == ajwt.ExportPublicOpenSSH && err != nil {
					continue // OpenSSH has no encoding for every curve
				}
				if err != nil {
					t.Fatalf("export %d: %v", f.export, err)
				}
				back := must[*ajwt.Key](t)(ajwt.ParsePublicKeyFormat(text, f.load))
				if !back.Equal(k) {
					t.Errorf("format %d does not round-trip", f.export)
				}
				back.Close()
			}
			pkcs8 := must[[]byte](t)(k.Export(ajwt.ExportPrivatePKCS8, []byte("s3cret")))
			if !strings.Contains(string(pkcs8), "ENCRYPTED PRIVATE KEY") {
				t.Fatalf("password given, PKCS#8 not encrypted:\n%s", pkcs8)
			}
			_, err := ajwt.ParsePrivateKey(pkcs8, []byte("wrong"))
			wantStatus(t, err, ajwt.ErrWrongPassword)
			again := must[*ajwt.Key](t)(ajwt.ParsePrivateKey(pkcs8, []byte("s3cret")))
			defer again.Close()
			if !again.IsPrivate() || !again.Equal(k) {
				t.Fatal("encrypted PKCS#8 does not round-trip")
			}
			_, err = pub.Export(ajwt.ExportPrivatePKCS8, nil)
			wantStatus(t, err, ajwt.ErrNotPrivateKey)
		})
	}
}

func TestGenerateRSAParameters(t *testing.T) {
	k := must[*ajwt.Key](t)(ajwt.GenerateRSAKey(ajwt.KeyRSA, 2304, 3))
	defer k.Close()
	var jwk map[string]string
	if err := json.Unmarshal([]byte(must[string](t)(k.JWK())), &jwk); err != nil {
		t.Fatal(err)
	}
	if k.Bits() != 2304 || jwk["e"] != "Aw" {
		t.Fatalf("bits %d, e %q", k.Bits(), jwk["e"])
	}
	_, err := ajwt.GenerateRSAKey(ajwt.KeyRSA, 1024, 0)
	wantStatus(t, err, ajwt.ErrKeyTooSmall)
	_, err = ajwt.GenerateKey(ajwt.KeyType(99))
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}

func TestAlgorithms(t *testing.T) {
	rsa, ed := compatRSA(t), generate(t, ajwt.KeyEd25519)
	if !rsa.SupportsAlg(ajwt.PS256) || rsa.SupportsAlg(ajwt.EdDSA) || !ed.SupportsAlg(ajwt.EdDSA) {
		t.Fatal("SupportsAlg disagrees with the key types")
	}
	for _, name := range []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"} {
		a, ok := ajwt.ParseAlg(name)
		if !ok || a.String() != name {
			t.Errorf("ParseAlg(%q) = %v, %v", name, a, ok)
		}
	}
	for _, name := range []string{"none", "HS256", "rs256", ""} {
		if a, ok := ajwt.ParseAlg(name); ok {
			t.Errorf("ParseAlg(%q) accepted as %v", name, a)
		}
	}
}

func TestEmptyAndNULInputs(t *testing.T) {
	_, err := ajwt.ParsePublicKey(nil)
	wantStatus(t, err, ajwt.ErrKeyParse)
	pem := compat(t).PublicKeys["ed25519_pem"].Text
	_, err = ajwt.ParsePublicKey([]byte(pem[:20] + "\x00" + pem[20:]))
	if err == nil {
		t.Fatal("a key with a NUL byte loaded")
	}
}

func TestClosedKey(t *testing.T) {
	k := must[*ajwt.Key](t)(ajwt.GenerateKey(ajwt.KeyEd25519))
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	k.Close() // twice is fine
	_, err := k.Fingerprint()
	wantStatus(t, err, ajwt.ErrInvalidArgument)
	_, err = ajwt.Sign(k, ajwt.Claims{Username: "u", Time: now})
	wantStatus(t, err, ajwt.ErrInvalidArgument)
	if k.Type() != 0 || k.IsPrivate() || k.Bits() != 0 {
		t.Fatal("a closed key still answers")
	}
}
