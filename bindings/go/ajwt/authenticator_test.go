package ajwt_test

import (
	"errors"
	"runtime"
	"sync"
	"testing"

	"github.com/libajwt/libajwt/bindings/go/ajwt"
)

// memRepo is an in-memory key registry: the repositories a service implements in Go.
type memRepo struct {
	mu       sync.Mutex
	keys     map[string][]string // username -> public key texts
	jwks     map[string][]byte   // username -> JWK Set of the user's trusted endpoint
	used     []string            // "username fingerprint" per authenticated request
	kids     []string            // kid hints UserKeys received
	failWith error
	jwksAsks int
}

func newMemRepo() *memRepo {
	return &memRepo{keys: map[string][]string{}, jwks: map[string][]byte{}}
}

func (r *memRepo) register(t testing.TB, username string, key *ajwt.Key) {
	t.Helper()
	pem := must[string](t)(key.PublicPEM())
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys[username] = append(r.keys[username], pem)
}

func (r *memRepo) UserExists(username string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failWith != nil {
		return false, r.failWith
	}
	_, ok := r.keys[username]
	return ok, nil
}

func (r *memRepo) UserKeys(username, kid string, keys *ajwt.KeySet) error {
	r.mu.Lock()
	texts := append([]string(nil), r.keys[username]...)
	r.kids = append(r.kids, kid)
	r.mu.Unlock()
	for _, text := range texts {
		if err := keys.AddText([]byte(text), ajwt.FormatAny); err != nil {
			return err
		}
	}
	return nil
}

func (r *memRepo) UserJWKS(username, kid string, keys *ajwt.KeySet) error {
	r.mu.Lock()
	doc, ok := r.jwks[username]
	r.jwksAsks++
	r.mu.Unlock()
	if !ok {
		return nil
	}
	return keys.AddJWKS(doc)
}

func (r *memRepo) KeyUsed(username string, key *ajwt.Key) {
	defer key.Close()
	fp, _ := key.Fingerprint()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.used = append(r.used, username+" "+fp)
}

// keysOnly implements KeyRepository and nothing else.
type keysOnly struct{ r *memRepo }

func (k keysOnly) UserKeys(username, kid string, keys *ajwt.KeySet) error {
	return k.r.UserKeys(username, kid, keys)
}

type authFixture struct {
	repo  *memRepo
	auth  *ajwt.Authenticator
	alice *ajwt.Key
}

func newAuthFixture(t testing.TB, opts ...ajwt.AuthenticatorOption) *authFixture {
	t.Helper()
	store := must[*ajwt.NonceStore](t)(ajwt.NewMemoryNonceStore(0, 0))
	defer store.Close()
	v := newVerifier(t, ajwt.WithNonceStore(store))
	f := &authFixture{repo: newMemRepo(), alice: generate(t, ajwt.KeyEd25519)}
	f.repo.register(t, "alice", compatRSA(t)) // another key of hers, tried after the kid match
	f.repo.register(t, "alice", f.alice)
	f.auth = must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(v, f.repo, opts...))
	t.Cleanup(func() { f.auth.Close() })
	return f
}

func header(t testing.TB, key *ajwt.Key, username string, at int64) string {
	t.Helper()
	return must[string](t)(ajwt.SignHeader(key, username, at))
}

func TestAuthenticate(t *testing.T) {
	f := newAuthFixture(t)
	h := header(t, f.alice, "alice", now)
	id := must[*ajwt.Identity](t)(f.auth.Authenticate(h, now+5))
	defer id.Key.Close()
	fp := must[string](t)(f.alice.Fingerprint())
	if id.Username != "alice" || id.Time != now || id.Kid != fp || !id.Key.Equal(f.alice) || len(id.Nonce) != 11 {
		t.Fatalf("identity %+v", id)
	}
	if len(f.repo.used) != 1 || f.repo.used[0] != "alice "+fp {
		t.Fatalf("key used %v", f.repo.used)
	}
	if f.repo.kids[0] != fp {
		t.Fatalf("kid hint %q", f.repo.kids[0])
	}
	_, err := f.auth.Authenticate(h, now+5)
	wantStatus(t, err, ajwt.ErrNonceReplayed)
}

func TestAuthenticateFailures(t *testing.T) {
	f := newAuthFixture(t)
	stranger := generate(t, ajwt.KeyEd25519)
	token := sign(t, f.alice, "alice", now, "")
	cases := []struct {
		name   string
		header string
		want   ajwt.Status
	}{
		{"no header", "", ajwt.ErrNoAuthHeader},
		{"other method", "Bearer " + token, ajwt.ErrWrongAuthMethod},
		{"garbage token", "JWT not-a-token", ajwt.ErrTokenFormat},
		{"unknown user", header(t, f.alice, "mallory", now), ajwt.ErrUnknownUser},
		{"key not hers", header(t, stranger, "alice", now), ajwt.ErrBadSignature},
		{"no key of that type", header(t, generate(t, ajwt.KeyECP256), "alice", now), ajwt.ErrNoMatchingKey},
		{"too old", header(t, f.alice, "alice", now-21), ajwt.ErrTokenExpired},
		{"from the future", header(t, f.alice, "alice", now+21), ajwt.ErrTokenFromFuture},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := f.auth.Authenticate(tc.header, now)
			if id != nil {
				t.Fatal("identity on failure")
			}
			wantStatus(t, err, tc.want)
			if !ajwt.IsClientError(err) {
				t.Fatal("an authentication failure reported as a server error")
			}
		})
	}
	if len(f.repo.used) != 0 {
		t.Fatalf("key used reported for failures: %v", f.repo.used)
	}
	// The method word is case-insensitive.
	if _, err := f.auth.Authenticate("jwt "+token, now); err != nil {
		t.Fatal(err)
	}
}

func TestAuthenticateRepositoryErrors(t *testing.T) {
	f := newAuthFixture(t)
	f.repo.failWith = errors.New("database unavailable")
	_, err := f.auth.Authenticate(header(t, f.alice, "alice", now), now)
	wantStatus(t, err, ajwt.ErrCallbackFailed)
	if ajwt.IsClientError(err) {
		t.Fatal("a repository failure is the server's fault")
	}
	f.repo.failWith = ajwt.ErrUnknownUser // a Status is passed on as is
	_, err = f.auth.Authenticate(header(t, f.alice, "alice", now), now)
	wantStatus(t, err, ajwt.ErrUnknownUser)
}

func TestAuthenticateWithoutOptionalInterfaces(t *testing.T) {
	repo := newMemRepo()
	alice := generate(t, ajwt.KeyEd25519)
	repo.register(t, "alice", alice)
	auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(newVerifier(t), keysOnly{repo}))
	defer auth.Close()
	if _, err := auth.Authenticate(header(t, alice, "alice", now), now); err != nil {
		t.Fatal(err)
	}
	// Without UserExists every user exists; one without keys has no matching key.
	_, err := auth.Authenticate(header(t, alice, "nobody", now), now)
	wantStatus(t, err, ajwt.ErrNoMatchingKey)
}

func TestAuthenticateJWKSFallback(t *testing.T) {
	f := newAuthFixture(t)
	rotated := generate(t, ajwt.KeyEd25519)
	set := must[*ajwt.KeySet](t)(ajwt.NewKeySet())
	defer set.Close()
	if err := set.Add(public(t, rotated)); err != nil {
		t.Fatal(err)
	}
	f.repo.jwks["alice"] = must[[]byte](t)(set.JWKS())

	if _, err := f.auth.Authenticate(header(t, f.alice, "alice", now), now); err != nil {
		t.Fatal(err)
	}
	if f.repo.jwksAsks != 0 {
		t.Fatal("JWKS asked although a registered key matched the kid")
	}
	id := must[*ajwt.Identity](t)(f.auth.Authenticate(header(t, rotated, "alice", now), now))
	if !id.Key.Equal(rotated) || f.repo.jwksAsks != 1 {
		t.Fatalf("JWKS key not used (asks %d)", f.repo.jwksAsks)
	}
}

func TestAuthenticateCustomMethod(t *testing.T) {
	f := newAuthFixture(t, ajwt.WithMethod("Signed"))
	token := sign(t, f.alice, "alice", now, "")
	_, err := f.auth.Authenticate("JWT "+token, now)
	wantStatus(t, err, ajwt.ErrWrongAuthMethod)
	if _, err := f.auth.Authenticate("Signed "+token, now); err != nil {
		t.Fatal(err)
	}
	_, err = ajwt.NewAuthenticator(newVerifier(t), f.repo, ajwt.WithMethod("two words"))
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}

// A KeySet lent to a callback is unusable once the callback has returned.
type keptKeySet struct {
	*memRepo
	kept *ajwt.KeySet
}

func (k *keptKeySet) UserKeys(username, kid string, keys *ajwt.KeySet) error {
	k.kept = keys
	return k.memRepo.UserKeys(username, kid, keys)
}

func TestBorrowedKeySetExpires(t *testing.T) {
	repo := &keptKeySet{memRepo: newMemRepo()}
	alice := generate(t, ajwt.KeyEd25519)
	repo.register(t, "alice", alice)
	auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(newVerifier(t), repo))
	defer auth.Close()
	if _, err := auth.Authenticate(header(t, alice, "alice", now), now); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, repo.kept.AddText([]byte("x"), ajwt.FormatAny), ajwt.ErrInvalidArgument)
	if repo.kept.Len() != 0 {
		t.Fatal("expired key set still readable")
	}
}

func TestAuthenticatorPanickingRepository(t *testing.T) {
	alice := generate(t, ajwt.KeyEd25519)
	auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(newVerifier(t), panicRepo{}))
	defer auth.Close()
	_, err := auth.Authenticate(header(t, alice, "alice", now), now)
	wantStatus(t, err, ajwt.ErrCallbackFailed)
}

type panicRepo struct{}

func (panicRepo) UserKeys(string, string, *ajwt.KeySet) error { panic("bug in the repository") }

func TestClosedAuthenticator(t *testing.T) {
	f := newAuthFixture(t)
	f.auth.Close()
	_, err := f.auth.Authenticate(header(t, f.alice, "alice", now), now)
	wantStatus(t, err, ajwt.ErrInvalidArgument)
	_, err = ajwt.NewAuthenticator(newVerifier(t), nil)
	wantStatus(t, err, ajwt.ErrInvalidArgument)
}

// Closing an authenticator, or dropping it unclosed, lets go of its repository.
func TestAuthenticatorReleasesRepository(t *testing.T) {
	for _, closeIt := range []bool{true, false} {
		released := make(chan struct{})
		func() {
			repo := newMemRepo()
			runtime.AddCleanup(repo, func(ch chan struct{}) { close(ch) }, released)
			auth := must[*ajwt.Authenticator](t)(ajwt.NewAuthenticator(newVerifier(t), repo))
			if closeIt {
				auth.Close()
			}
		}()
		waitReleased(t, released, "the repository")
	}
}
