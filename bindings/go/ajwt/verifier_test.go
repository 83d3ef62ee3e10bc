package ajwt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

func newVerifier(t testing.TB, opts ...ajwt.VerifierOption) *ajwt.Verifier {
	t.Helper()
	v := must[*ajwt.Verifier](t)(ajwt.NewVerifier(opts...))
	t.Cleanup(func() { v.Close() })
	return v
}

func verify(t testing.TB, v *ajwt.Verifier, token string, key *ajwt.Key, at int64) error {
	t.Helper()
	_, err := v.VerifyToken(token, key, at)
	return err
}

func TestVerifyWithKey(t *testing.T) {
	v := newVerifier(t)
	for _, kt := range []ajwt.KeyType{ajwt.KeyRSA, ajwt.KeyEd25519, ajwt.KeyECP256} {
		k := generate(t, kt)
		other := generate(t, kt)
		token := sign(t, k, "alice", now, "n1")
		if user, err := v.VerifyToken(token, public(t, k), now); err != nil || user != "alice" {
			t.Fatalf("%v: %q %v", kt, user, err)
		}
		if err := verify(t, v, token, k, now); err != nil { // a private key verifies too
			t.Fatalf("%v with the private key: %v", kt, err)
		}
		wantStatus(t, verify(t, v, token, public(t, other), now), ajwt.ErrBadSignature)
	}
}

func TestVerifyCompatKey(t *testing.T) {
	pub := must[*ajwt.Key](t)(ajwt.ParsePublicKey([]byte(compat(t).PublicKeys["rsa_pem"].Text)))
	defer pub.Close()
	ex := compat(t).Token.PayloadExample
	token := sign(t, compatRSA(t), ex.Username, ex.Time, ex.Nonce)
	if user := must[string](t)(newVerifier(t).VerifyToken(token, pub, ex.Time)); user != ex.Username {
		t.Fatalf("user %q", user)
	}
}

func TestTimeWindow(t *testing.T) {
	k := generate(t, ajwt.KeyEd25519)
	token := sign(t, k, "u", now, "n")
	v := newVerifier(t)
	tol := compat(t).Token.TimeToleranceSeconds
	for _, d := range []int64{-tol, 0, tol} {
		if err := verify(t, v, token, k, now+d); err != nil {
			t.Errorf("now%+d: %v", d, err)
		}
	}
	wantStatus(t, verify(t, v, token, k, now+tol+1), ajwt.ErrTokenExpired)
	wantStatus(t, verify(t, v, token, k, now-tol-1), ajwt.ErrTokenFromFuture)

	wide := newVerifier(t, ajwt.WithTolerance(300))
	if err := verify(t, wide, token, k, now+300); err != nil {
		t.Fatal(err)
	}
	_, err := ajwt.NewVerifier(ajwt.WithTolerance(-1))
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}

func TestAlgorithmPolicy(t *testing.T) {
	k := compatRSA(t)
	ps := must[string](t)(ajwt.SignAlg(k, ajwt.Claims{Username: "u", Time: now, Nonce: "n"}, ajwt.PS256))
	rs := sign(t, k, "u", now, "n")
	wantStatus(t, verify(t, newVerifier(t), ps, k, now), ajwt.ErrAlgorithmNotAllowed)
	withPS := newVerifier(t, ajwt.WithAlgorithms(ajwt.PS256, ajwt.RS512))
	if err := verify(t, withPS, ps, k, now); err != nil {
		t.Fatal(err)
	}
	onlyRS256 := newVerifier(t, ajwt.WithAlgorithms(ajwt.RS256))
	wantStatus(t, verify(t, onlyRS256, rs, k, now), ajwt.ErrAlgorithmNotAllowed)
	_, err := ajwt.NewVerifier(ajwt.WithAlgorithms())
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}

// A token with "alg": "none" or HS256 over the public key never verifies.
func TestAlgorithmConfusionRejected(t *testing.T) {
	k := compatRSA(t)
	token := sign(t, k, "u", now, "n")
	parts := strings.Split(token, ".")
	for _, alg := range []string{"none", "HS256", "EdDSA"} {
		forged := b64(fmt.Sprintf(`{"alg":%q,"typ":"JWT"}`, alg)) + "." + parts[1] + "." + parts[2]
		err := verify(t, newVerifier(t), forged, k, now)
		if err == nil {
			t.Fatalf("alg %s accepted", alg)
		}
	}
}

func TestMaxTokenSize(t *testing.T) {
	k := generate(t, ajwt.KeyEd25519)
	token := sign(t, k, strings.Repeat("u", 200), now, "n")
	v := newVerifier(t, ajwt.WithMaxTokenSize(128))
	_, err := v.Parse(token)
	wantStatus(t, err, ajwt.ErrTokenTooLarge)
	_, err = ajwt.NewVerifier(ajwt.WithMaxTokenSize(10))
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}

func TestVerifyKeySet(t *testing.T) {
	a, b, c := generate(t, ajwt.KeyEd25519), generate(t, ajwt.KeyRSA), generate(t, ajwt.KeyEd25519)
	set := must[*ajwt.KeySet](t)(ajwt.NewKeySet())
	defer set.Close()
	for _, k := range []*ajwt.Key{a, b} {
		if err := set.Add(public(t, k)); err != nil {
			t.Fatal(err)
		}
	}
	v := newVerifier(t)
	for _, k := range []*ajwt.Key{a, b} {
		tok := must[*ajwt.Token](t)(v.Parse(sign(t, k, "u", now, "n")))
		used := must[*ajwt.Key](t)(v.VerifyKeySet(tok, set, now))
		if !used.Equal(k) {
			t.Fatal("VerifyKeySet reports another key")
		}
		used.Close()
		tok.Close()
	}
	tok := must[*ajwt.Token](t)(v.Parse(sign(t, c, "u", now, "n")))
	defer tok.Close()
	_, err := v.VerifyKeySet(tok, set, now)
	if err == nil {
		t.Fatal("a token of a key outside the set verified")
	}
}

func TestKeySetJWKS(t *testing.T) {
	rsaPub := must[*ajwt.Key](t)(ajwt.ParsePublicKey([]byte(compat(t).PublicKeys["rsa_pem"].Text)))
	defer rsaPub.Close()
	ed := generate(t, ajwt.KeyEd25519)
	set := must[*ajwt.KeySet](t)(ajwt.NewKeySet())
	defer set.Close()
	if err := set.Add(rsaPub); err != nil {
		t.Fatal(err)
	}
	if err := set.AddText([]byte(compat(t).PublicKeys["ed25519_openssh"].Text), ajwt.FormatOpenSSH); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, set.Add(ed), ajwt.ErrPrivateKeyGiven)
	if set.Len() != 2 {
		t.Fatalf("len %d", set.Len())
	}
	jwks := must[[]byte](t)(set.JWKS())
	var doc struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &doc); err != nil || len(doc.Keys) != 2 {
		t.Fatalf("JWKS %s: %v", jwks, err)
	}

	// Reparse, with one member libajwt cannot use: it is skipped and reported.
	doc.Keys = append(doc.Keys, map[string]any{"kty": "oct", "k": "c2VjcmV0"})
	withBad, _ := json.Marshal(doc)
	again := must[*ajwt.KeySet](t)(ajwt.ParseJWKS(withBad))
	defer again.Close()
	if again.Len() != 2 || len(again.Skipped()) != 1 {
		t.Fatalf("reparsed %d keys, skipped %v", again.Len(), again.Skipped())
	}
	fp := compat(t).PublicKeys["rsa_pem"].Fingerprint
	found := again.Find(fp)
	if found == nil || !found.Equal(rsaPub) {
		t.Fatal("Find by kid")
	}
	found.Close()
	if again.Find("nope") != nil || again.Key(2) != nil || again.Key(-1) != nil {
		t.Fatal("lookups out of range")
	}
	first := again.Key(0)
	if first == nil || !first.Equal(rsaPub) {
		t.Fatal("Key(0)")
	}
	_, err := ajwt.ParseJWKS([]byte(`{"nokeys": 1}`))
	wantStatus(t, err, ajwt.ErrJWKSParse)
}

func TestMemoryNonceStoreRejectsReplay(t *testing.T) {
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStore(0, 0))
	v := newVerifier(t, ajwt.WithNonceStore(store))
	store.Close() // the verifier holds its own reference
	k := generate(t, ajwt.KeyEd25519)
	token := sign(t, k, "u", now, "n")
	if err := verify(t, v, token, k, now); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, verify(t, v, token, k, now), ajwt.ErrNonceReplayed)
	// Same nonce, another second or user: a different entry.
	if err := verify(t, v, sign(t, k, "u", now+1, "n"), k, now); err != nil {
		t.Fatal(err)
	}
	if err := verify(t, v, sign(t, k, "v", now, "n"), k, now); err != nil {
		t.Fatal(err)
	}
	// A rejected token records nothing.
	wantStatus(t, verify(t, v, sign(t, k, "w", now, "n"), generate(t, ajwt.KeyEd25519), now), ajwt.ErrBadSignature)
	if err := verify(t, v, sign(t, k, "w", now, "n"), k, now); err != nil {
		t.Fatal(err)
	}
}

func TestMemoryNonceStoreUserCap(t *testing.T) {
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStoreWithUserCap(0, 10, 2))
	defer store.Close()
	for _, nonce := range []string{"a", "b"} {
		if err := store.CheckAndRecord("mallory", now, nonce, now); err != nil {
			t.Fatal(err)
		}
	}
	wantStatus(t, store.CheckAndRecord("mallory", now, "c", now), ajwt.ErrNonceStoreFull)
	wantStatus(t, store.CheckAndRecord("mallory", now, "a", now), ajwt.ErrNonceReplayed)
	if err := store.CheckAndRecord("alice", now, "c", now); err != nil {
		t.Fatal(err)
	}
	if store.Len() != 3 {
		t.Fatalf("len %d", store.Len())
	}
	_, err := ajwt.NewMemoryNonceStoreWithUserCap(0, 10, 11)
	wantStatus(t, err, ajwt.ErrInvalidArgument)
	_, err = ajwt.NewMemoryNonceStoreWithUserCap(0, 10, -1)
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}

func TestMemoryNonceStoreDirect(t *testing.T) {
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStore(40, 2))
	defer store.Close()
	if err := store.CheckAndRecord("u", now, "a", now); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, store.CheckAndRecord("u", now, "a", now), ajwt.ErrNonceReplayed)
	if err := store.CheckAndRecord("u", now, "b", now); err != nil {
		t.Fatal(err)
	}
	if store.Len() != 2 {
		t.Fatalf("len %d", store.Len())
	}
	wantStatus(t, store.CheckAndRecord("u", now, "c", now), ajwt.ErrNonceStoreFull)
	// Entries expire after the ttl, which makes room again.
	if err := store.CheckAndRecord("u", now+100, "c", now+100); err != nil {
		t.Fatal(err)
	}
}

// goNonceStore is a nonce store implemented in Go, as a service would over Redis.
type goNonceStore struct {
	mu    sync.Mutex
	seen  map[string]bool
	calls int
	fail  error
}

func (s *goNonceStore) CheckAndRecord(username string, t int64, nonce string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.fail != nil {
		return false, s.fail
	}
	key := fmt.Sprintf("%s\x00%d\x00%s", username, t, nonce)
	if s.seen[key] {
		return false, nil
	}
	s.seen[key] = true
	return true, nil
}

func TestGoNonceStore(t *testing.T) {
	impl := &goNonceStore{seen: map[string]bool{}}
	store := must[*ajwt.NonceStore](t)(ajwt.NewNonceStore(impl))
	defer store.Close()
	v := newVerifier(t, ajwt.WithNonceStore(store))
	k := generate(t, ajwt.KeyEd25519)
	token := sign(t, k, "u", now, "n")
	if err := verify(t, v, token, k, now); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, verify(t, v, token, k, now), ajwt.ErrNonceReplayed)
	if !impl.seen["u\x00"+fmt.Sprint(now)+"\x00n"] || impl.calls != 2 {
		t.Fatalf("store saw %v in %d calls", impl.seen, impl.calls)
	}
	// Not reached for a token that fails earlier.
	wantStatus(t, verify(t, v, sign(t, k, "u", now, "x"), k, now+60), ajwt.ErrTokenExpired)
	if impl.calls != 2 {
		t.Fatal("store consulted for an expired token")
	}
	wantStatus(t, store.CheckAndRecord("u", now, "n", now), ajwt.ErrNonceReplayed)
	if store.Len() != 0 {
		t.Fatal("a callback store has no size")
	}

	impl.fail = errors.New("redis down")
	wantStatus(t, verify(t, v, sign(t, k, "u", now, "y"), k, now), ajwt.ErrCallbackFailed)
	impl.fail = ajwt.ErrNonceReplayed // a Status passes through as is
	wantStatus(t, verify(t, v, sign(t, k, "u", now, "z"), k, now), ajwt.ErrNonceReplayed)
}

func TestNonceCheckerPanicIsAFailure(t *testing.T) {
	store := must[*ajwt.NonceStore](t)(ajwt.NewNonceStore(ajwt.NonceCheckerFunc(func(string, int64, string) (bool, error) {
		panic("boom")
	})))
	defer store.Close()
	v := newVerifier(t, ajwt.WithNonceStore(store))
	k := generate(t, ajwt.KeyEd25519)
	wantStatus(t, verify(t, v, sign(t, k, "u", now, "n"), k, now), ajwt.ErrCallbackFailed)
}

// The library calls the destroy callback when the last reference to a Go-backed store goes
// away, which releases the cgo handle and so the Go checker.
func TestGoNonceStoreReleasesChecker(t *testing.T) {
	released := make(chan struct{})
	func() {
		checker := &goNonceStore{seen: map[string]bool{}}
		runtime.AddCleanup(checker, func(ch chan struct{}) { close(ch) }, released)
		store := must[*ajwt.NonceStore](t)(ajwt.NewNonceStore(checker))
		v := must[*ajwt.Verifier](t)(ajwt.NewVerifier(ajwt.WithNonceStore(store)))
		store.Close()
		k := generate(t, ajwt.KeyEd25519)
		if err := verify(t, v, sign(t, k, "u", now, "n"), k, now); err != nil {
			t.Fatal(err)
		}
		v.Close() // last reference: destroy runs, the handle is deleted
	}()
	waitReleased(t, released, "the Go checker")
}

// waitReleased runs the garbage collector until released is closed.
func waitReleased(t *testing.T, released chan struct{}, what string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		runtime.GC()
		select {
		case <-released:
			return
		case <-deadline:
			t.Fatalf("%s was never released", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Handles nobody closes are freed by their cleanups: the verifier's cleanup frees the C
// verifier, which drops the last reference to the store, whose destroy callback deletes the
// cgo handle, which lets the Go checker be collected. A missing link leaves it reachable.
func TestUnclosedHandlesAreFreedByGC(t *testing.T) {
	released := make(chan struct{})
	func() {
		checker := &goNonceStore{seen: map[string]bool{}}
		runtime.AddCleanup(checker, func(ch chan struct{}) { close(ch) }, released)
		store := must[*ajwt.NonceStore](t)(ajwt.NewNonceStore(checker))
		v := must[*ajwt.Verifier](t)(ajwt.NewVerifier(ajwt.WithNonceStore(store)))
		k := must[*ajwt.Key](t)(ajwt.GenerateKey(ajwt.KeyEd25519))
		if err := verify(t, v, sign(t, k, "u", now, "n"), k, now); err != nil {
			t.Fatal(err)
		}
	}()
	waitReleased(t, released, "the checker of an unclosed store")
}

func TestClosedVerifier(t *testing.T) {
	v := must[*ajwt.Verifier](t)(ajwt.NewVerifier())
	v.Close()
	_, err := v.Parse("a.b.c")
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}
