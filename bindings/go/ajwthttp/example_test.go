package ajwthttp_test

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
	"github.com/libajwt/libajwt/bindings/go/ajwthttp"
)

func ExampleMiddleware() {
	verifier, _ := ajwt.NewVerifier()
	auth, _ := ajwt.NewAuthenticator(verifier, newRegistry()) // your KeyRepository
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := ajwthttp.UsernameFrom(r.Context())
		fmt.Fprintln(w, user)
	})
	http.Handle("/whoami", ajwthttp.Middleware(auth, ajwthttp.WithLogger(slog.Default()))(whoami))
}

func ExampleTransport() {
	key, _ := ajwt.GenerateKey(ajwt.KeyEd25519) // in practice ajwt.ParsePrivateKey
	client := &http.Client{Transport: &ajwthttp.Transport{Key: key, Username: "billing"}}
	_ = client // client.Get(...) sends "Authorization: JWT <fresh token>" with every attempt
}
