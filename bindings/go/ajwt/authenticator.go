package ajwt

/*
#include <stdlib.h>
#include <ajwt.h>
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// KeyRepository gives the authenticator a user's registered public keys. UserKeys adds them to
// keys (KeySet.Add, AddText or AddJWKS); kid is the token's key id ("" if none), a hint only:
// adding all the user's keys is always correct. A user without keys adds none. An error
// rejects the request with ErrCallbackFailed, unless it is (or wraps) a Status, which is
// passed on as is.
//
// Repositories are called from the goroutine that authenticates, concurrently when requests
// are authenticated concurrently. keys is only valid during the call.
type KeyRepository interface {
	UserKeys(username, kid string, keys *KeySet) error
}

// UserRepository is optional: implemented by the repository passed to NewAuthenticator, it is
// asked whether the claimed user exists (without it, every claimed user does). (false, nil)
// rejects the request with ErrUnknownUser.
type UserRepository interface {
	UserExists(username string) (bool, error)
}

// JWKSRepository is optional: a second source of keys, asked only when UserKeys gave no key
// matching the token's kid, e.g. keys from the user's trusted JWKS endpoints (the host fetches
// them; KeySet.AddJWKS adds them).
type JWKSRepository interface {
	UserJWKS(username, kid string, keys *KeySet) error
}

// KeyUsedObserver is optional: told which key verified each request (e.g. to record "last
// used"). It runs before Authenticate returns.
type KeyUsedObserver interface {
	KeyUsed(username string, key *Key)
}

// authRepository is what the callbacks see through their cgo.Handle.
type authRepository struct {
	keys  KeyRepository
	users UserRepository
	jwks  JWKSRepository
	used  KeyUsedObserver
	// jwksURLs is asked only by the Go-driven flow (AuthenticateContext), with the JWKSCache.
	jwksURLs JWKSURLRepository
}

// AuthenticatorOption configures an Authenticator at construction.
type AuthenticatorOption func(*authenticatorConfig)

type authenticatorConfig struct {
	method string
	nonces NonceRecorder
	jwks   *JWKSCache
}

// WithMethod sets the word before the token in the Authorization header (default "JWT",
// compared case-insensitively).
func WithMethod(word string) AuthenticatorOption {
	return func(c *authenticatorConfig) { c.method = word }
}

// Authenticator runs the whole server-side flow on an Authorization header (ajwt_authenticator):
// parse, method word, claimed username, user exists, signature with the user's keys (kid
// first), time window, nonce, key used. Safe for concurrent use.
type Authenticator struct {
	state   *authState
	repo    *authRepository
	nonces  NonceRecorder // nil: the verifier's nonce store
	jwks    *JWKSCache    // nil: no JWKS URLs
	cleanup runtime.Cleanup
}

// authState is what the cleanup releases: the C handle and the handle of the repository.
type authState struct {
	ptr  *C.ajwt_authenticator
	repo cgo.Handle
}

func (s *authState) free() {
	C.ajwt_authenticator_free(s.ptr) // first: no callback can run after this
	s.repo.Delete()
}

// Identity is an authenticated request's verified claims and the key that verified them.
type Identity struct {
	Username string
	Time     int64
	Nonce    string
	Kid      string // the token's kid ("" if none)
	Key      *Key   // the user's key that verified the token (Close it, or let the GC)
}

// NewAuthenticator copies the verifier's policy (tolerance, algorithms, size cap) and takes a
// reference to its nonce store. repo supplies the keys and may also implement UserRepository,
// JWKSRepository and KeyUsedObserver. repo stays reachable until the authenticator is closed
// or collected, so it should not refer back to the authenticator.
func NewAuthenticator(v *Verifier, repo KeyRepository, opts ...AuthenticatorOption) (*Authenticator, error) {
	vh := v.handle()
	if vh == nil {
		return nil, closedError("verifier")
	}
	if repo == nil {
		return nil, &Error{Status: ErrInvalidArgument, Message: "nil KeyRepository"}
	}
	var cfg authenticatorConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	r := &authRepository{keys: repo}
	r.users, _ = repo.(UserRepository)
	r.jwks, _ = repo.(JWKSRepository)
	r.used, _ = repo.(KeyUsedObserver)
	r.jwksURLs, _ = repo.(JWKSURLRepository)

	var p *C.ajwt_authenticator
	var e C.ajwt_error
	st := C.ajwt_authenticator_new(vh, &p, &e)
	runtime.KeepAlive(v)
	if st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	state := &authState{ptr: p, repo: cgo.NewHandle(r)}
	if err := state.configure(r, &cfg, &e); err != nil {
		state.free()
		return nil, err
	}
	a := &Authenticator{state: state, repo: r, nonces: cfg.nonces, jwks: cfg.jwks}
	a.cleanup = runtime.AddCleanup(a, func(s *authState) { s.free() }, state)
	return a, nil
}

func (s *authState) configure(r *authRepository, cfg *authenticatorConfig, e *C.ajwt_error) error {
	if cfg.method != "" {
		mp, mn := cstr(cfg.method)
		if st := C.ajwt_authenticator_set_method(s.ptr, mp, mn, e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	if st := setUserKeys(s.ptr, s.repo, e); st != C.AJWT_OK {
		return newError(st, e)
	}
	if r.users != nil {
		if st := setUserExists(s.ptr, s.repo, e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	if r.jwks != nil {
		if st := setUserJWKS(s.ptr, s.repo, e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	if r.used != nil {
		if st := setKeyUsed(s.ptr, s.repo, e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	return nil
}

// Close releases the authenticator and lets go of the repository.
func (a *Authenticator) Close() error {
	if a != nil && a.state != nil {
		a.cleanup.Stop()
		a.state.free()
		a.state = nil
	}
	return nil
}

// Authenticate checks an Authorization header value ("JWT <token>") at time now (Unix
// seconds). It returns the verified identity, or an *Error: ErrNoAuthHeader for "",
// ErrUnknownUser, ErrBadSignature, ErrTokenExpired, ErrNonceReplayed, ... — all of them mean
// "not authenticated" (401) except ErrCallbackFailed, ErrInternal and ErrOutOfMemory, which
// are the server's fault (500).
func (a *Authenticator) Authenticate(header string, now int64) (*Identity, error) {
	return a.authenticate(header, now, nil)
}

// AuthenticateRequest is Authenticate with the request the header came with, for the
// verifier's binding policy (WithBinding, WithAudience; ajwt_authenticate_request): req.Method
// and req.Target "" and req.Body nil are unknown; req.Audience is not used.
func (a *Authenticator) AuthenticateRequest(header string, now int64, req Request) (*Identity, error) {
	return a.authenticate(header, now, &req)
}

// authenticate calls ajwt_authenticate, or ajwt_authenticate_request when req is given.
func (a *Authenticator) authenticate(header string, now int64, req *Request) (*Identity, error) {
	if a == nil || a.state == nil {
		return nil, closedError("authenticator")
	}
	if a.hostsLookups() {
		if req == nil {
			req = &Request{}
		}
		return a.AuthenticateContext(context.Background(), header, now, *req)
	}
	var hp *C.char
	var hn C.size_t
	if header != "" {
		hp, hn = cstr(header)
	}
	cs := getCallState()
	defer putCallState(cs)
	var st C.ajwt_status
	if req == nil {
		st = C.ajwt_authenticate(a.state.ptr, hp, hn, C.int64_t(now), &cs.token, &cs.key, &cs.err)
	} else {
		mp, mn := optionalString(req.Method)
		tp, tn := optionalString(req.Target)
		digest := bodyDigest(req.Body)
		defer C.free(unsafe.Pointer(digest))
		st = C.ajwt_authenticate_request(a.state.ptr, hp, hn, C.int64_t(now), mp, mn, tp, tn, digest,
			&cs.token, &cs.key, &cs.err)
	}
	runtime.KeepAlive(a)
	if st != C.AJWT_OK {
		return nil, newError(st, &cs.err)
	}
	return identityOf(cs.token, cs.key), nil
}

// identityOf takes the token and key references an authentication gave: the token is read and
// freed, the key is wrapped.
func identityOf(token *C.ajwt_token, key *C.ajwt_key) *Identity {
	defer C.ajwt_token_free(token)
	id := &Identity{Time: int64(C.ajwt_token_time(token)), Key: wrapKey(key)}
	var n C.size_t
	id.Username = borrowedString(C.ajwt_token_username(token, &n), n)
	id.Nonce = borrowedString(C.ajwt_token_nonce(token, &n), n)
	id.Kid = borrowedString(C.ajwt_token_kid(token, &n), n)
	return id
}

// IsClientError reports whether err means the request is not authenticated (answer 401), as
// opposed to a failure of the server itself (answer 500).
func IsClientError(err error) bool {
	s, ok := StatusOf(err)
	if !ok {
		return false
	}
	switch s {
	case ErrCallbackFailed, ErrInternal, ErrOutOfMemory, ErrNonceStoreFull, ErrInvalidArgument:
		return false
	}
	return true
}
