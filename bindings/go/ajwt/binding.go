package ajwt

/*
#include <stdlib.h>
#include <ajwt.h>
*/
import "C"

import (
	"crypto/sha256"
	"runtime"
	"unsafe"
)

// Request-binding refusals (docs/request-binding.md).
const (
	ErrBindingMethod   Status = C.AJWT_ERR_BINDING_METHOD
	ErrBindingTarget   Status = C.AJWT_ERR_BINDING_TARGET
	ErrBindingBody     Status = C.AJWT_ERR_BINDING_BODY
	ErrBindingAudience Status = C.AJWT_ERR_BINDING_AUDIENCE
	ErrBindingRequired Status = C.AJWT_ERR_BINDING_REQUIRED
)

// Binding is the verifier's request-binding policy (ajwt_binding_policy).
type Binding int

const (
	// BindingOff (the default) ignores the binding claims, as asymmetric-jwt-auth 1.x does.
	BindingOff Binding = C.AJWT_BINDING_OFF
	// BindingWhenPresent checks each binding claim a token carries against the request.
	BindingWhenPresent Binding = C.AJWT_BINDING_WHEN_PRESENT
	// BindingRequired also refuses tokens that do not bind method, target and body (and the
	// audience, when one is configured).
	BindingRequired Binding = C.AJWT_BINDING_REQUIRED
)

// WithBinding sets the request-binding policy (default BindingOff).
func WithBinding(policy Binding) VerifierOption {
	return func(c *verifierConfig) { c.binding = policy }
}

// WithAudience sets the audience this service answers to (compared with the ajwt_aud claim).
func WithAudience(audience string) VerifierOption {
	return func(c *verifierConfig) { c.audience = &audience }
}

func configureBinding(p *C.ajwt_verifier, cfg *verifierConfig, e *C.ajwt_error) error {
	if st := C.ajwt_verifier_set_binding(p, C.ajwt_binding_policy(cfg.binding), e); st != C.AJWT_OK {
		return newError(st, e)
	}
	if cfg.audience != nil {
		ap, an := cstr(*cfg.audience)
		if st := C.ajwt_verifier_set_audience(p, ap, an, e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	return nil
}

// Request is an HTTP request as a token binds it (signing) or as the server received it
// (verifying). Method "" and Target "" are not bound / unknown; Body nil is not bound /
// unknown, and an empty non-nil Body is the empty body. Audience is used when signing only.
type Request struct {
	Method   string
	Target   string
	Body     []byte
	Audience string
}

// optionalString is (NULL, 0) for "" (not bound / unknown), else the string's bytes.
func optionalString(s string) (*C.char, C.size_t) {
	if s == "" {
		return nil, 0
	}
	return cstr(s)
}

// bodyDigest is the SHA-256 of the body, or nil when the body is nil.
func bodyDigest(body []byte) *C.uint8_t {
	if body == nil {
		return nil
	}
	digest := sha256.Sum256(body)
	return (*C.uint8_t)(C.CBytes(digest[:]))
}

// SignRequest is SignAlg for a token bound to a request (ajwt_sign_request): the parts of req
// that are set are signed.
func SignRequest(key *Key, c Claims, alg Alg, req Request) (string, error) {
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
	mp, mn := optionalString(req.Method)
	tp, tn := optionalString(req.Target)
	ap, an := optionalString(req.Audience)
	digest := bodyDigest(req.Body)
	defer C.free(unsafe.Pointer(digest))
	var out *C.char
	var n C.size_t
	var e C.ajwt_error
	st := C.ajwt_sign_request(h, up, un, C.int64_t(c.Time), np, nn, C.ajwt_alg(alg), mp, mn, tp, tn, digest, ap, an,
		&out, &n, &e)
	runtime.KeepAlive(key)
	if st != C.AJWT_OK {
		return "", newError(st, &e)
	}
	return takeString(out, n), nil
}

// VerifyRequest is Verify with the request's method, target and body for the verifier's
// binding policy (ajwt_verify_request); req.Audience is not used.
func (v *Verifier) VerifyRequest(token *Token, key *Key, now int64, req Request) error {
	h, th, kh := v.handle(), token.handle(), key.handle()
	if h == nil || th == nil || kh == nil {
		return closedError("verifier, token or key")
	}
	mp, mn := optionalString(req.Method)
	tp, tn := optionalString(req.Target)
	digest := bodyDigest(req.Body)
	defer C.free(unsafe.Pointer(digest))
	var e C.ajwt_error
	st := C.ajwt_verify_request(h, th, kh, C.double(now), mp, mn, tp, tn, digest, &e)
	runtime.KeepAlive(v)
	runtime.KeepAlive(token)
	runtime.KeepAlive(key)
	return newError(st, &e)
}
