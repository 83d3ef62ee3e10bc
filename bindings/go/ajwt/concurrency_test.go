package ajwt_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

const goroutines = 16

// race runs f on many goroutines released together and counts outcomes.
func race(t *testing.T, f func() error) (ok, replayed int) {
	t.Helper()
	var wg sync.WaitGroup
	var okN, replayN, otherN atomic.Int32
	start := make(chan struct{})
	var firstOther atomic.Value
	for i := 0; i < goroutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := f()
			switch {
			case err == nil:
				okN.Add(1)
			case errors.Is(err, ajwt.ErrNonceReplayed):
				replayN.Add(1)
			default:
				otherN.Add(1)
				firstOther.CompareAndSwap(nil, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if otherN.Load() != 0 {
		t.Fatalf("%d unexpected failures, e.g. %v", otherN.Load(), firstOther.Load())
	}
	return int(okN.Load()), int(replayN.Load())
}

// One verifier with the built-in store shared by goroutines: each replayed token is accepted
// exactly once.
func TestConcurrentReplayBuiltinStore(t *testing.T) {
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStore(0, 0))
	defer store.Close()
	v := newVerifier(t, ajwt.WithNonceStore(store))
	k := generate(t, ajwt.KeyEd25519)
	pub := public(t, k)
	for round := 0; round < 20; round++ {
		token := sign(t, k, "alice", now, "")
		ok, replayed := race(t, func() error { return verify(t, v, token, pub, now) })
		if ok != 1 || replayed != goroutines-1 {
			t.Fatalf("round %d: accepted %d times, replayed %d", round, ok, replayed)
		}
	}
}

// The same with a store written in Go, called back from many goroutines at once.
func TestConcurrentReplayGoStore(t *testing.T) {
	impl := &goNonceStore{seen: map[string]bool{}}
	store := must[*ajwt.NonceStore](t)(ajwt.NewNonceStore(impl))
	defer store.Close()
	v := newVerifier(t, ajwt.WithNonceStore(store))
	k := generate(t, ajwt.KeyEd25519)
	for round := 0; round < 20; round++ {
		token := sign(t, k, "alice", now, "")
		ok, replayed := race(t, func() error { return verify(t, v, token, k, now) })
		if ok != 1 || replayed != goroutines-1 {
			t.Fatalf("round %d: accepted %d times, replayed %d", round, ok, replayed)
		}
	}
}

// The authenticator with Go repositories under concurrent requests: one header, one success.
func TestConcurrentAuthenticate(t *testing.T) {
	f := newAuthFixture(t)
	for round := 0; round < 10; round++ {
		h := header(t, f.alice, "alice", now)
		ok, replayed := race(t, func() error {
			id, err := f.auth.Authenticate(h, now)
			if err == nil && id.Username != "alice" {
				return errors.New("wrong user " + id.Username)
			}
			return err
		})
		if ok != 1 || replayed != goroutines-1 {
			t.Fatalf("round %d: accepted %d times, replayed %d", round, ok, replayed)
		}
	}
	if len(f.repo.used) != 10 {
		t.Fatalf("key used reported %d times", len(f.repo.used))
	}
}

// Distinct tokens verified concurrently all pass (no false replays, shared keys are safe).
func TestConcurrentDistinctTokens(t *testing.T) {
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStore(0, 0))
	defer store.Close()
	v := newVerifier(t, ajwt.WithNonceStore(store))
	k := compatRSA(t)
	tokens := make(chan string, goroutines*4)
	for i := 0; i < cap(tokens); i++ {
		tokens <- sign(t, k, "alice", now, "")
	}
	close(tokens)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := 0; i < goroutines; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for token := range tokens {
				if _, err := v.VerifyToken(token, k, now); err != nil {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if failures.Load() != 0 || store.Len() != cap(tokens) {
		t.Fatalf("%d failures, %d nonces recorded", failures.Load(), store.Len())
	}
}
