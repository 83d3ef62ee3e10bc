// Command bench measures per-verification cost through the Go binding, in the format and with
// the cases of c_verify.c (see bench/ffi/run.sh): "case ns_per_op" in process CPU time (the Go
// runtime's own threads, e.g. the garbage collector, included), best of several batches.
package main

// #include <time.h>
import "C"

import (
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

const now = 1700000000

// cpuNanos is the CPU time of the whole process, as c_verify.c measures it.
func cpuNanos() float64 {
	var ts C.struct_timespec
	C.clock_gettime(C.CLOCK_PROCESS_CPUTIME_ID, &ts)
	return float64(ts.tv_sec)*1e9 + float64(ts.tv_nsec)
}

func best(n, batches int, op func()) float64 {
	min := math.Inf(1)
	for b := 0; b < batches; b++ {
		start := cpuNanos()
		for i := 0; i < n; i++ {
			op()
		}
		if per := (cpuNanos() - start) / float64(n); per < min {
			min = per
		}
	}
	return min
}

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	return v
}

type oneUser struct{ key *ajwt.Key }

func (o oneUser) UserKeys(username, kid string, keys *ajwt.KeySet) error {
	if username != "alice" {
		return nil
	}
	return keys.Add(o.key)
}

func main() {
	scale := 1.0
	if len(os.Args) > 1 {
		scale = must(strconv.ParseFloat(os.Args[1], 64))
	}
	ed := must(ajwt.GenerateKey(ajwt.KeyEd25519))
	edPub := must(ed.Public())
	rsa := must(ajwt.GenerateRSAKey(ajwt.KeyRSA, 2048, 0))
	rsaPub := must(rsa.Public())
	verifier := must(ajwt.NewVerifier())
	claims := ajwt.Claims{Username: "alice", Time: now, Nonce: "bench-nonce"}
	edToken := must(ajwt.Sign(ed, claims))
	rsaToken := must(ajwt.Sign(rsa, claims))
	header := must(ajwt.AuthHeader("", edToken))
	auth := must(ajwt.NewAuthenticator(verifier, oneUser{edPub}))

	verify := func(token string, key *ajwt.Key) func() {
		return func() { must(verifier.VerifyToken(token, key, now)) }
	}
	n := int(2000*scale) + 1
	var sink int
	fmt.Printf("call %.2f\n", best(int(2000000*scale)+1, 7, func() { sink += ajwt.VersionNumber() }))
	fmt.Printf("verify_ed25519 %.1f\n", best(n, 7, verify(edToken, edPub)))
	fmt.Printf("verify_rsa2048 %.1f\n", best(n, 7, verify(rsaToken, rsaPub)))
	fmt.Printf("auth_ed25519 %.1f\n", best(n, 7, func() {
		id := must(auth.Authenticate(header, now))
		id.Key.Close()
	}))
	_ = sink
}
