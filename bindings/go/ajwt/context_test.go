package ajwt_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

func TestNonceKeyVectors(t *testing.T) {
	data := must[[]byte](t)(os.ReadFile(filepath.Join(vectorsDir(), "nonce-keys.json")))
	var vectors struct {
		Cases []struct {
			Name, Username, Nonce, Key string
			Time                       int64
		}
	}
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors.Cases) == 0 {
		t.Fatal("no nonce key vectors")
	}
	for _, c := range vectors.Cases {
		if got := must[string](t)(ajwt.NonceKey(c.Username, c.Time, c.Nonce)); got != c.Key || len(got) != ajwt.NonceKeySize {
			t.Errorf("%s: got %s, want %s", c.Name, got, c.Key)
		}
	}
}

func TestVerifierNonceTTL(t *testing.T) {
	if got := newVerifier(t).NonceTTL(); got != 2*ajwt.DefaultTolerance+1 {
		t.Fatalf("default: %d", got)
	}
	if got := newVerifier(t, ajwt.WithTolerance(5)).NonceTTL(); got != 11 {
		t.Fatalf("tolerance 5: %d", got)
	}
}

func TestPendingPhases(t *testing.T) {
	f := newAuthFixture(t)
	keys := must[*ajwt.KeySet](t)(ajwt.NewKeySet())
	defer keys.Close()
	if err := keys.Add(public(t, f.alice)); err != nil {
		t.Fatal(err)
	}
	begin := func(h string) *ajwt.Pending {
		p := must[*ajwt.Pending](t)(f.auth.Begin(h))
		t.Cleanup(func() { p.Close() })
		return p
	}
	token := sign(t, f.alice, "alice", now, "n1")
	p := begin("JWT " + token)
	if p.Username() != "alice" || p.Kid() != must[string](t)(f.alice.Fingerprint()) || p.NonceKey() != "" {
		t.Fatalf("phase 1: %q %q %q", p.Username(), p.Kid(), p.NonceKey())
	}
	if err := p.Verify(keys, now+1, ajwt.Request{}); err != nil {
		t.Fatal(err)
	}
	if p.NonceKey() != must[string](t)(ajwt.NonceKey("alice", now, "n1")) || p.NonceTTL() != 41 {
		t.Fatalf("phase 2: key %q ttl %d", p.NonceKey(), p.NonceTTL())
	}
	id := must[*ajwt.Identity](t)(p.Finish(ajwt.NonceRecorded))
	if id.Username != "alice" || id.Nonce != "n1" || !id.Key.Equal(f.alice) {
		t.Fatalf("phase 3: %+v", id)
	}
	if len(f.repo.used) != 0 {
		t.Fatal("the two-phase flow called the authenticator's callbacks")
	}

	for outcome, want := range map[ajwt.NonceOutcome]ajwt.Status{
		ajwt.NonceAlreadyRecorded: ajwt.ErrNonceReplayed,
		ajwt.NonceStoreFailed:     ajwt.ErrCallbackFailed,
	} {
		p := begin("JWT " + token)
		if err := p.Verify(keys, now, ajwt.Request{}); err != nil {
			t.Fatal(err)
		}
		_, err := p.Finish(outcome)
		wantStatus(t, err, want)
	}
	wantStatus(t, begin("JWT "+token).Verify(nil, now, ajwt.Request{}), ajwt.ErrUnknownUser)
	wantStatus(t, begin("JWT "+token).Verify(keys, now+60, ajwt.Request{}), ajwt.ErrTokenExpired)
	_, err := begin("JWT " + token).Finish(ajwt.NonceRecorded) // before Verify
	wantStatus(t, err, ajwt.ErrInvalidArgument)
	_, err = f.auth.Begin("Bearer " + token)
	wantStatus(t, err, ajwt.ErrWrongAuthMethod)
}

// TestAuthenticateContextMatchesAuthenticate runs the same requests through the one-call flow
// and the Go-driven one: same result for each.
func TestAuthenticateContextMatchesAuthenticate(t *testing.T) {
	oneCall := newAuthFixture(t)
	goDriven := &authFixture{repo: newMemRepo(), alice: oneCall.alice}
	goDriven.repo.keys = oneCall.repo.keys
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStore(0, 0))
	defer store.Close()
	// A ContextKeyRepository: AuthenticateContext has a use for ctx, so it runs the two phases.
	goDriven.auth = must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(newVerifier(t, ajwt.WithNonceStore(store)),
		contextRepo{goDriven.repo}))
	defer goDriven.auth.Close()
	stranger, rotated := generate(t, ajwt.KeyEd25519), generate(t, ajwt.KeyEd25519)
	set := must[*ajwt.KeySet](t)(ajwt.NewKeySet())
	defer set.Close()
	if err := set.Add(public(t, rotated)); err != nil {
		t.Fatal(err)
	}
	oneCall.repo.jwks["alice"] = must[[]byte](t)(set.JWKS())
	goDriven.repo.jwks = oneCall.repo.jwks

	good := header(t, oneCall.alice, "alice", now)
	requests := []string{
		good, good, // accepted, then replayed
		header(t, stranger, "alice", now),
		header(t, oneCall.alice, "bob", now),
		header(t, oneCall.alice, "alice", now-60),
		header(t, rotated, "alice", now), // a JWKS key
		"JWT x.y.z", "", "Bearer abc",
	}
	for i, h := range requests {
		_, want := oneCall.auth.Authenticate(h, now)
		_, got := goDriven.auth.AuthenticateContext(context.Background(), h, now, ajwt.Request{})
		ws, _ := ajwt.StatusOf(want)
		gs, _ := ajwt.StatusOf(got)
		if ws != gs {
			t.Errorf("request %d: one call %v, Go-driven %v", i, want, got)
		}
	}
	if len(goDriven.repo.used) != len(oneCall.repo.used) || goDriven.repo.jwksAsks != oneCall.repo.jwksAsks {
		t.Fatalf("key used %v vs %v, JWKS asks %d vs %d", goDriven.repo.used, oneCall.repo.used,
			goDriven.repo.jwksAsks, oneCall.repo.jwksAsks)
	}
}

// contextRepo is memRepo as a ContextKeyRepository.
type contextRepo struct{ *memRepo }

func (r contextRepo) UserKeysContext(ctx context.Context, username, kid string, keys *ajwt.KeySet) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.UserKeys(username, kid, keys)
}

// memRecorder is a NonceRecorder over a map, or failing with err.
type memRecorder struct {
	mu   sync.Mutex
	seen map[string]time.Duration
	err  error
}

func (m *memRecorder) RecordNonce(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return false, m.err
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if _, ok := m.seen[key]; ok {
		return false, nil
	}
	m.seen[key] = ttl
	return true, nil
}

func TestNonceRecorderReplacesTheVerifierStore(t *testing.T) {
	rec := &memRecorder{seen: map[string]time.Duration{}}
	f := newAuthFixture(t, ajwt.WithNonceRecorder(rec))
	h := header(t, f.alice, "alice", now)
	id := must[*ajwt.Identity](t)(f.auth.Authenticate(h, now)) // the one-call API takes the recorder too
	key := must[string](t)(ajwt.NonceKey("alice", now, id.Nonce))
	if ttl, ok := rec.seen[key]; !ok || ttl != 41*time.Second || len(rec.seen) != 1 {
		t.Fatalf("recorded %v, want %s for 41s", rec.seen, key)
	}
	_, err := f.auth.AuthenticateRequest(h, now, ajwt.Request{})
	wantStatus(t, err, ajwt.ErrNonceReplayed)

	rec.err = errors.New("store unreachable")
	_, err = f.auth.Authenticate(header(t, f.alice, "alice", now), now)
	wantStatus(t, err, ajwt.ErrCallbackFailed)
	if !strings.Contains(err.Error(), "store unreachable") {
		t.Fatalf("the failure does not say why: %v", err)
	}
	rec.err = nil
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = f.auth.AuthenticateContext(ctx, header(t, f.alice, "alice", now), now, ajwt.Request{})
	wantStatus(t, err, ajwt.ErrCallbackFailed) // fail closed
}

// The KeyUsed observer gets its own reference: closing it (as memRepo does) leaves the
// identity's key usable, as in the one-call flow.
func TestAuthenticateContextKeyUsedGetsItsOwnKey(t *testing.T) {
	repo := newMemRepo()
	alice := generate(t, ajwt.KeyEd25519)
	repo.register(t, "alice", alice)
	auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(newVerifier(t), contextRepo{repo}))
	defer auth.Close()
	id := must[*ajwt.Identity](t)(auth.AuthenticateContext(context.Background(), header(t, alice, "alice", now), now, ajwt.Request{}))
	if len(repo.used) != 1 {
		t.Fatalf("key used %v", repo.used)
	}
	if _, err := id.Key.Fingerprint(); err != nil || !id.Key.Equal(alice) {
		t.Fatalf("the identity's key after KeyUsed: %v", err)
	}
}

func TestAuthenticateContextOnClosedAuthenticator(t *testing.T) {
	f := newAuthFixture(t)
	f.auth.Close()
	for _, auth := range []*ajwt.Authenticator{f.auth, nil} {
		_, err := auth.AuthenticateContext(context.Background(), header(t, f.alice, "alice", now), now, ajwt.Request{})
		wantStatus(t, err, ajwt.ErrInvalidArgument)
		_, err = auth.Begin("JWT x")
		wantStatus(t, err, ajwt.ErrInvalidArgument)
	}
}
