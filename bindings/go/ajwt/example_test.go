package ajwt_test

import (
	"errors"
	"fmt"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// A client signs a request; the server verifies it with the client's public key.
func Example() {
	private, _ := ajwt.GenerateKey(ajwt.KeyEd25519)
	defer private.Close()
	public, _ := private.Public()
	defer public.Close()

	// Client: the Authorization header for user "alice".
	header, _ := ajwt.SignHeader(private, "alice", ajwt.Now())

	// Server: one verifier (with a nonce store) shared by all requests.
	store, _ := ajwt.NewMemoryNonceStore(0, 0)
	defer store.Close()
	verifier, _ := ajwt.NewVerifier(ajwt.WithNonceStore(store))
	defer verifier.Close()

	token := header[len("JWT "):]
	user, err := verifier.VerifyToken(token, public, ajwt.Now())
	fmt.Println(user, err)
	_, err = verifier.VerifyToken(token, public, ajwt.Now())
	fmt.Println(errors.Is(err, ajwt.ErrNonceReplayed))
	// Output:
	// alice <nil>
	// true
}

// registry maps usernames to their public keys (PEM, OpenSSH or JWK text).
type registry map[string][]string

func (r registry) UserKeys(username, kid string, keys *ajwt.KeySet) error {
	for _, text := range r[username] {
		if err := keys.AddText([]byte(text), ajwt.FormatAny); err != nil {
			return err
		}
	}
	return nil
}

func (r registry) UserExists(username string) (bool, error) {
	_, ok := r[username]
	return ok, nil
}

// The high-level authenticator over repositories written in Go.
func ExampleAuthenticator() {
	private, _ := ajwt.GenerateKey(ajwt.KeyEd25519)
	defer private.Close()
	pem, _ := private.PublicPEM()

	verifier, _ := ajwt.NewVerifier()
	defer verifier.Close()
	auth, _ := ajwt.NewAuthenticator(verifier, registry{"alice": {pem}})
	defer auth.Close()

	header, _ := ajwt.SignHeader(private, "alice", ajwt.Now())
	id, err := auth.Authenticate(header, ajwt.Now())
	fmt.Println(id.Username, err)

	header, _ = ajwt.SignHeader(private, "bob", ajwt.Now())
	_, err = auth.Authenticate(header, ajwt.Now())
	fmt.Println(err)
	// Output:
	// alice <nil>
	// ajwt: unknown user
}
