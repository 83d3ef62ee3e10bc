// Command client signs requests with libajwt. Subcommands:
//
//	client request --url URL --key KEY.pem --user NAME [--replay]
//	    GET URL with "Authorization: JWT <token>"; prints the status and body. --replay sends
//	    the same header twice and expects the second request to be refused.
//	client keygen --type ed25519|rsa|p256 --out NAME
//	    writes NAME.pem (PKCS#8 private key) and NAME.pub (PEM public key)
//	client token --key KEY.pem --user NAME [--time UNIX] [--nonce N] [--password P]
//	    prints a signed token (the cross-language check signs with this)
//	client verify --public KEY.pub --token TOKEN [--now UNIX]
//	    prints the verified username, or the error and exits 1
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "client: "+format+"\n", args...)
	os.Exit(1)
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func loadPrivate(path, password string) *ajwt.Key {
	text, err := os.ReadFile(path)
	check(err)
	var pw []byte
	if password != "" {
		pw = []byte(password)
	}
	key, err := ajwt.ParsePrivateKey(text, pw)
	check(err)
	return key
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: client request|keygen|token|verify [flags]")
	}
	cmd, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	switch cmd {
	case "request":
		url := fs.String("url", "http://127.0.0.1:8080/", "URL to GET")
		keyFile := fs.String("key", "", "private key file")
		user := fs.String("user", "", "username")
		replay := fs.Bool("replay", false, "send the same header again; expect a refusal")
		check(fs.Parse(args))
		os.Exit(request(*url, loadPrivate(*keyFile, ""), *user, *replay))
	case "keygen":
		kind := fs.String("type", "ed25519", "ed25519, rsa or p256")
		out := fs.String("out", "", "output name (NAME.pem, NAME.pub)")
		check(fs.Parse(args))
		keygen(*kind, *out)
	case "token":
		keyFile := fs.String("key", "", "private key file")
		password := fs.String("password", "", "password of an encrypted key")
		user := fs.String("user", "", "username")
		at := fs.Int64("time", 0, "time claim (Unix seconds, default now)")
		nonce := fs.String("nonce", "", "nonce (default random)")
		check(fs.Parse(args))
		if *at == 0 {
			*at = ajwt.Now()
		}
		token, err := ajwt.Sign(loadPrivate(*keyFile, *password), ajwt.Claims{Username: *user, Time: *at, Nonce: *nonce})
		check(err)
		fmt.Println(token)
	case "verify":
		pubFile := fs.String("public", "", "public key file (PEM, OpenSSH or JWK)")
		token := fs.String("token", "", "the token")
		at := fs.Int64("now", 0, "the verifier's clock (Unix seconds, default now)")
		check(fs.Parse(args))
		if *at == 0 {
			*at = ajwt.Now()
		}
		text, err := os.ReadFile(*pubFile)
		check(err)
		key, err := ajwt.ParsePublicKey(text)
		check(err)
		verifier, err := ajwt.NewVerifier()
		check(err)
		user, err := verifier.VerifyToken(strings.TrimSpace(*token), key, *at)
		check(err)
		fmt.Println(user)
	default:
		fail("unknown command %q", cmd)
	}
}

func request(url string, key *ajwt.Key, user string, replay bool) int {
	header, err := ajwt.SignHeader(key, user, ajwt.Now())
	check(err)
	first := get(url, header)
	if !replay {
		if first != http.StatusOK {
			return 1
		}
		return 0
	}
	second := get(url, header)
	if first == http.StatusOK && second == http.StatusUnauthorized {
		return 0
	}
	return 1
}

func get(url, header string) int {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	check(err)
	req.Header.Set("Authorization", header)
	resp, err := http.DefaultClient.Do(req)
	check(err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Printf("%d %s\n", resp.StatusCode, strings.TrimSpace(string(body)))
	return resp.StatusCode
}

func keygen(kind, out string) {
	types := map[string]ajwt.KeyType{"ed25519": ajwt.KeyEd25519, "rsa": ajwt.KeyRSA, "p256": ajwt.KeyECP256}
	t, ok := types[kind]
	if !ok || out == "" {
		fail("keygen needs --type ed25519|rsa|p256 and --out NAME")
	}
	key, err := ajwt.GenerateKey(t)
	check(err)
	private, err := key.Export(ajwt.ExportPrivatePKCS8, nil)
	check(err)
	public, err := key.PublicPEM()
	check(err)
	check(os.WriteFile(out+".pem", private, 0o600))
	check(os.WriteFile(out+".pub", []byte(public), 0o644))
	fp, err := key.Fingerprint()
	check(err)
	fmt.Printf("%s.pem, %s.pub (fingerprint %s)\n", out, out, fp)
}
