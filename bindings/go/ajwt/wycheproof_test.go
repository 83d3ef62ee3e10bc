package ajwt_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// The Wycheproof signature vectors through VerifySignature, the primitive tokens use: every
// "valid" case verifies and every "invalid" one does not ("acceptable" may go either way).
var wycheproofFiles = map[string]ajwt.Alg{
	"ed25519_test.json":                      ajwt.EdDSA,
	"ed448_test.json":                        ajwt.EdDSA,
	"rsa_signature_2048_sha256_test.json":    ajwt.RS256,
	"rsa_signature_2048_sha384_test.json":    ajwt.RS384,
	"rsa_signature_2048_sha512_test.json":    ajwt.RS512,
	"rsa_signature_3072_sha256_test.json":    ajwt.RS256,
	"rsa_signature_4096_sha512_test.json":    ajwt.RS512,
	"rsa_pss_2048_sha256_mgf1_32_test.json":  ajwt.PS256,
	"rsa_pss_2048_sha384_mgf1_48_test.json":  ajwt.PS384,
	"rsa_pss_4096_sha512_mgf1_64_test.json":  ajwt.PS512,
	"ecdsa_secp256r1_sha256_p1363_test.json": ajwt.ES256,
	"ecdsa_secp384r1_sha384_p1363_test.json": ajwt.ES384,
}

type wycheproofFile struct {
	TestGroups []struct {
		PublicKeyPem string `json:"publicKeyPem"`
		Tests        []struct {
			TcID   int    `json:"tcId"`
			Msg    string `json:"msg"`
			Sig    string `json:"sig"`
			Result string `json:"result"`
		} `json:"tests"`
	} `json:"testGroups"`
}

func TestWycheproofSignatures(t *testing.T) {
	for file, alg := range wycheproofFiles {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(vectorsDir(), "wycheproof", file))
			if err != nil {
				t.Fatal(err)
			}
			var doc wycheproofFile
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, g := range doc.TestGroups {
				key, err := ajwt.ParsePublicKeyFormat([]byte(g.PublicKeyPem), ajwt.FormatPEM)
				if err != nil {
					// Only keys libajwt refuses by policy (e.g. small RSA) may fail, and then
					// none of their cases may be required to pass.
					for _, tc := range g.Tests {
						if tc.Result == "valid" {
							t.Errorf("key of valid case %d refused: %v", tc.TcID, err)
						}
					}
					continue
				}
				for _, tc := range g.Tests {
					msg, _ := hex.DecodeString(tc.Msg)
					sig, _ := hex.DecodeString(tc.Sig)
					err := ajwt.VerifySignature(key, alg, msg, sig)
					switch tc.Result {
					case "valid":
						if err != nil {
							t.Errorf("case %d valid, got %v", tc.TcID, err)
						}
					case "invalid":
						if err == nil {
							t.Errorf("case %d invalid, verified", tc.TcID)
						}
					}
					checked++
				}
				key.Close()
			}
			if checked == 0 {
				t.Fatal("no cases")
			}
		})
	}
}
