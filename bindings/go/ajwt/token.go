package ajwt

/*
#include <ajwt.h>
*/
import "C"

import (
	"crypto/rand"
	"encoding/base64"
	"runtime"
	"unsafe"
)

// Claims are what a client signs.
type Claims struct {
	Username string
	Time     int64  // Unix seconds; the server accepts it within its tolerance of its clock
	Nonce    string // "" = a fresh random nonce (NewNonce)
}

// NewNonce returns a random nonce in the format asymmetric-jwt-auth 1.x uses: 8 random bytes,
// base64url without padding (11 characters).
func NewNonce() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// Sign signs claims with a private key and its preferred algorithm (RS512 for RSA, EdDSA for
// Ed25519). The header carries alg, typ "JWT" and the key's fingerprint as kid.
func Sign(key *Key, c Claims) (string, error) { return SignAlg(key, c, AlgDefault) }

// SignAlg is Sign with an explicit algorithm (AlgDefault = the key's preferred one).
func SignAlg(key *Key, c Claims, alg Alg) (string, error) {
	h := key.handle()
	if h == nil {
		return "", closedError("key")
	}
	if c.Nonce == "" {
		n, err := NewNonce()
		if err != nil {
			return "", err
		}
		c.Nonce = n
	}
	up, un := cstr(c.Username)
	np, nn := cstr(c.Nonce)
	var out *C.char
	var n C.size_t
	var e C.ajwt_error
	st := C.ajwt_sign(h, up, un, C.int64_t(c.Time), np, nn, C.ajwt_alg(alg), &out, &n, &e)
	runtime.KeepAlive(key)
	if st != C.AJWT_OK {
		return "", newError(st, &e)
	}
	return takeString(out, n), nil
}

// AuthHeader returns the Authorization header value "<method> <token>"; method "" = "JWT".
func AuthHeader(method, token string) (string, error) {
	var mp *C.char
	var mn C.size_t
	if method != "" {
		mp, mn = cstr(method)
	}
	tp, tn := cstr(token)
	var out *C.char
	var n C.size_t
	var e C.ajwt_error
	if st := C.ajwt_auth_header(mp, mn, tp, tn, &out, &n, &e); st != C.AJWT_OK {
		return "", newError(st, &e)
	}
	return takeString(out, n), nil
}

// SignHeader signs a token for username at time t (fresh nonce, preferred algorithm) and
// returns the "JWT <token>" header value: what a client sends.
func SignHeader(key *Key, username string, t int64) (string, error) {
	token, err := Sign(key, Claims{Username: username, Time: t})
	if err != nil {
		return "", err
	}
	return AuthHeader("", token)
}

// VerifySignature checks a raw signature with the primitive tokens use (ECDSA in JWS r||s
// form, PSS with salt = hash length). nil or ErrBadSignature.
func VerifySignature(key *Key, alg Alg, message, signature []byte) error {
	h := key.handle()
	if h == nil {
		return closedError("key")
	}
	mp, mn := cbytes(message)
	sp, sn := cbytes(signature)
	var e C.ajwt_error
	st := C.ajwt_signature_verify(h, C.ajwt_alg(alg), (*C.uint8_t)(unsafe.Pointer(mp)), mn, (*C.uint8_t)(unsafe.Pointer(sp)), sn, &e)
	runtime.KeepAlive(key)
	return newError(st, &e)
}

// Token is a parsed, not yet trusted token (ajwt_token): header and claims decoded once, for
// the claimed username and for verification. Immutable; safe for concurrent use.
type Token struct {
	ptr     *C.ajwt_token
	cleanup runtime.Cleanup
}

func wrapToken(p *C.ajwt_token) *Token {
	t := &Token{ptr: p}
	t.cleanup = runtime.AddCleanup(t, func(p *C.ajwt_token) { C.ajwt_token_free(p) }, p)
	return t
}

// ParseToken decodes a compact token with the default size cap. It checks structure and claim
// types, not the signature or the time: the claims are only claims until Verifier.Verify.
func ParseToken(token string) (*Token, error) {
	var out *C.ajwt_token
	var e C.ajwt_error
	p, n := cstr(token)
	if st := C.ajwt_token_parse(p, n, 0, &out, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapToken(out), nil
}

// Close releases the token.
func (t *Token) Close() error {
	if t != nil && t.ptr != nil {
		t.cleanup.Stop()
		C.ajwt_token_free(t.ptr)
		t.ptr = nil
	}
	return nil
}

func (t *Token) handle() *C.ajwt_token {
	if t == nil {
		return nil
	}
	return t.ptr
}

// Username is the (claimed, until verified) username.
func (t *Token) Username() string {
	var n C.size_t
	p := C.ajwt_token_username(t.handle(), &n)
	s := borrowedString(p, n)
	runtime.KeepAlive(t)
	return s
}

// Nonce is the nonce claim.
func (t *Token) Nonce() string {
	var n C.size_t
	p := C.ajwt_token_nonce(t.handle(), &n)
	s := borrowedString(p, n)
	runtime.KeepAlive(t)
	return s
}

// Time is the time claim in Unix seconds.
func (t *Token) Time() int64 {
	r := int64(C.ajwt_token_time(t.handle()))
	runtime.KeepAlive(t)
	return r
}

// ExactTime is the time claim as sent, fraction included (only CompatStrict refuses one).
func (t *Token) ExactTime() float64 {
	r := float64(C.ajwt_token_time_exact(t.handle()))
	runtime.KeepAlive(t)
	return r
}

// Alg is the header's algorithm.
func (t *Token) Alg() Alg {
	r := Alg(C.ajwt_token_alg(t.handle()))
	runtime.KeepAlive(t)
	return r
}

// Kid is the header's key id, and whether the header has one.
func (t *Token) Kid() (string, bool) {
	var n C.size_t
	p := C.ajwt_token_kid(t.handle(), &n)
	s := borrowedString(p, n)
	runtime.KeepAlive(t)
	return s, p != nil
}

// ClaimedUsername parses a token and returns the username it claims, without verifying it.
func ClaimedUsername(token string) (string, error) {
	t, err := ParseToken(token)
	if err != nil {
		return "", err
	}
	defer t.Close()
	return t.Username(), nil
}
