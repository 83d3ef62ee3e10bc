package ajwt

/*
#include <stdlib.h>
#include <ajwt.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// NonceKeySize is the length of a nonce key (AJWT_NONCE_KEY_SIZE).
const NonceKeySize = C.AJWT_NONCE_KEY_SIZE

// NonceKey is the key under which a shared store (e.g. Redis) records a used nonce: the same in
// every binding and in the Django package, so services sharing one store refuse each other's
// replays (ajwt_nonce_key).
func NonceKey(username string, time int64, nonce string) (string, error) {
	up, un := cstr(username)
	np, nn := cstr(nonce)
	var out [NonceKeySize + 1]C.char
	var e C.ajwt_error
	if st := C.ajwt_nonce_key(up, un, C.int64_t(time), np, nn, &out[0], C.size_t(len(out)), &e); st != C.AJWT_OK {
		return "", newError(st, &e)
	}
	return arrayString(&out[0], len(out)), nil
}

// NonceTTL is how many seconds a shared store must keep a recorded nonce for this verifier's
// tolerance (ajwt_verifier_nonce_ttl).
func (v *Verifier) NonceTTL() int64 {
	ttl := int64(C.ajwt_verifier_nonce_ttl(v.handle()))
	runtime.KeepAlive(v)
	return ttl
}

// NonceOutcome is what the host's own nonce store said (ajwt_nonce_outcome).
type NonceOutcome int

const (
	// NonceRecorded: the host recorded the nonce and it was new.
	NonceRecorded NonceOutcome = C.AJWT_NONCE_RECORDED
	// NonceAlreadyRecorded: the host found it recorded: a replay.
	NonceAlreadyRecorded NonceOutcome = C.AJWT_NONCE_ALREADY_RECORDED
	// NonceStoreFailed: the host's store failed; the authentication fails closed.
	NonceStoreFailed NonceOutcome = C.AJWT_NONCE_STORE_FAILED
	// NonceUseVerifierStore: the host has no store; the verifier's store (if any) records it.
	NonceUseVerifierStore NonceOutcome = C.AJWT_NONCE_USE_VERIFIER_STORE
)

// Pending is one authentication in progress (ajwt_pending), for hosts that do their lookups
// themselves, e.g. with a context.Context: Begin parses the header and names the user, the
// host looks up the user's keys, Verify checks the token, the host records the nonce under
// NonceKey for NonceTTL seconds, Finish gives the final result. Same checks, order and statuses
// as Authenticate. A Pending is used by one goroutine at a time; Close it when done.
type Pending struct {
	ptr     *C.ajwt_pending
	cleanup runtime.Cleanup
}

// Begin is phase 1 (ajwt_authenticate_begin): method word, then the token parse with the
// verifier's size cap and policy. It fails as Authenticate fails for this header.
func (a *Authenticator) Begin(header string) (*Pending, error) {
	if a == nil || a.state == nil {
		return nil, closedError("authenticator")
	}
	var hp *C.char
	var hn C.size_t
	if header != "" {
		hp, hn = cstr(header)
	}
	var out *C.ajwt_pending
	var e C.ajwt_error
	st := C.ajwt_authenticate_begin(a.state.ptr, hp, hn, &out, &e)
	runtime.KeepAlive(a)
	if st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	p := &Pending{ptr: out}
	p.cleanup = runtime.AddCleanup(p, func(p *C.ajwt_pending) { C.ajwt_pending_free(p) }, out)
	return p, nil
}

// Close releases the pending authentication.
func (p *Pending) Close() error {
	if p != nil && p.ptr != nil {
		p.cleanup.Stop()
		C.ajwt_pending_free(p.ptr)
		p.ptr = nil
	}
	return nil
}

// Username is the claimed, not yet verified username: whose keys to look up.
func (p *Pending) Username() string {
	var n C.size_t
	s := borrowedString(C.ajwt_pending_username(p.ptr, &n), n)
	runtime.KeepAlive(p)
	return s
}

// Kid is the token's key id ("" when it has none), a hint for the lookup.
func (p *Pending) Kid() string {
	var n C.size_t
	s := borrowedString(C.ajwt_pending_kid(p.ptr, &n), n)
	runtime.KeepAlive(p)
	return s
}

// Verify is phase 2 (ajwt_pending_verify): keys are the user's keys, nil when the user does not
// exist (checked against a decoy for equal time, then ErrUnknownUser). Signature (kid first),
// registered claims, time window at now, then the request binding as AuthenticateRequest.
func (p *Pending) Verify(keys *KeySet, now int64, req Request) error {
	if p == nil || p.ptr == nil {
		return closedError("pending authentication")
	}
	var kh *C.ajwt_keyset
	if keys != nil {
		if kh = keys.handle(); kh == nil {
			return closedError("key set")
		}
	}
	mp, mn := optionalString(req.Method)
	tp, tn := optionalString(req.Target)
	digest := bodyDigest(req.Body)
	defer C.free(unsafe.Pointer(digest))
	var e C.ajwt_error
	st := C.ajwt_pending_verify(p.ptr, kh, C.int64_t(now), mp, mn, tp, tn, digest, &e)
	runtime.KeepAlive(p)
	runtime.KeepAlive(keys)
	return newError(st, &e)
}

// NonceKey is, after a successful Verify, the key to record the nonce under (NonceKey of the
// token's claims); "" before.
func (p *Pending) NonceKey() string {
	var n C.size_t
	s := borrowedString(C.ajwt_pending_nonce_key(p.ptr, &n), n)
	runtime.KeepAlive(p)
	return s
}

// NonceTTL is, after a successful Verify, how many seconds to keep the record; 0 before.
func (p *Pending) NonceTTL() int64 {
	ttl := int64(C.ajwt_pending_nonce_ttl(p.ptr))
	runtime.KeepAlive(p)
	return ttl
}

// Finish is phase 3 (ajwt_pending_finish): the host's nonce outcome becomes the final result,
// the verified identity or an *Error (ErrNonceReplayed, ErrCallbackFailed for
// NonceStoreFailed, ...).
func (p *Pending) Finish(outcome NonceOutcome) (*Identity, error) {
	if p == nil || p.ptr == nil {
		return nil, closedError("pending authentication")
	}
	cs := getCallState()
	defer putCallState(cs)
	st := C.ajwt_pending_finish(p.ptr, C.ajwt_nonce_outcome(outcome), &cs.token, &cs.key, &cs.err)
	runtime.KeepAlive(p)
	if st != C.AJWT_OK {
		return nil, newError(st, &cs.err)
	}
	return identityOf(cs.token, cs.key), nil
}
