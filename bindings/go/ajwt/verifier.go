package ajwt

/*
#include <ajwt.h>
*/
import "C"

import "runtime"

// VerifierOption configures a Verifier at construction.
type VerifierOption func(*verifierConfig)

type verifierConfig struct {
	tolerance    *int64
	leeway       *int64
	compat       Compat
	algorithms   []Alg
	maxTokenSize int
	nonceStore   *NonceStore
	binding      Binding
	audience     *string
}

// WithTolerance sets the time window: |time - now| <= seconds passes (0..86400, default 20).
func WithTolerance(seconds int64) VerifierOption {
	return func(c *verifierConfig) { c.tolerance = &seconds }
}

// Compat is the token policy (ajwt_compat).
type Compat int

const (
	// CompatStrict (the default) takes only what libajwt signs.
	CompatStrict Compat = C.AJWT_COMPAT_STRICT
	// Compat1x also takes what asymmetric-jwt-auth 1.x accepts: any typ, a fractional time,
	// a non-zero integer nonce (see ajwt.h).
	Compat1x Compat = C.AJWT_COMPAT_1X
)

// WithLeeway sets the tolerance for the registered claims exp, nbf and iat (0..86400, default 0).
func WithLeeway(seconds int64) VerifierOption {
	return func(c *verifierConfig) { c.leeway = &seconds }
}

// WithCompat selects the token policy (default CompatStrict).
func WithCompat(compat Compat) VerifierOption {
	return func(c *verifierConfig) { c.compat = compat }
}

// WithAlgorithms replaces the accepted algorithms (default: every key's own defaults, no PS*).
// A token passes only when its alg is listed and usable with the verifying key.
func WithAlgorithms(algs ...Alg) VerifierOption {
	list := make([]Alg, len(algs)) // non-nil even when empty: an empty list is an error, not "unset"
	copy(list, algs)
	return func(c *verifierConfig) { c.algorithms = list }
}

// WithMaxTokenSize sets the token size cap in bytes (64..1,048,576; default 8192).
func WithMaxTokenSize(n int) VerifierOption {
	return func(c *verifierConfig) { c.maxTokenSize = n }
}

// WithNonceStore makes verification check and record each token's nonce in store.
func WithNonceStore(store *NonceStore) VerifierOption {
	return func(c *verifierConfig) { c.nonceStore = store }
}

// Verifier holds the verification policy (ajwt_verifier): time tolerance, algorithms, size
// cap and nonce store. It is configured once by NewVerifier and then safe for concurrent use.
type Verifier struct {
	ptr     *C.ajwt_verifier
	cleanup runtime.Cleanup
}

// NewVerifier returns a verifier with the given options over the defaults (tolerance 20 s,
// every key's default algorithms, 8192-byte tokens, no nonce store).
func NewVerifier(opts ...VerifierOption) (*Verifier, error) {
	var cfg verifierConfig
	for _, opt := range opts {
		opt(&cfg)
	}
	var p *C.ajwt_verifier
	var e C.ajwt_error
	if st := C.ajwt_verifier_new(&p, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	if err := configure(p, &cfg, &e); err != nil {
		C.ajwt_verifier_free(p)
		return nil, err
	}
	v := &Verifier{ptr: p}
	v.cleanup = runtime.AddCleanup(v, func(p *C.ajwt_verifier) { C.ajwt_verifier_free(p) }, p)
	return v, nil
}

func configure(p *C.ajwt_verifier, cfg *verifierConfig, e *C.ajwt_error) error {
	if cfg.tolerance != nil {
		if st := C.ajwt_verifier_set_tolerance(p, C.int64_t(*cfg.tolerance), e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	if cfg.leeway != nil {
		if st := C.ajwt_verifier_set_leeway(p, C.int64_t(*cfg.leeway), e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	if st := C.ajwt_verifier_set_compat(p, C.ajwt_compat(cfg.compat), e); st != C.AJWT_OK {
		return newError(st, e)
	}
	if cfg.algorithms != nil {
		algs := make([]C.ajwt_alg, len(cfg.algorithms))
		for i, a := range cfg.algorithms {
			algs[i] = C.ajwt_alg(a)
		}
		var first *C.ajwt_alg
		if len(algs) > 0 {
			first = &algs[0]
		}
		if st := C.ajwt_verifier_set_algorithms(p, first, C.size_t(len(algs)), e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	if cfg.maxTokenSize != 0 {
		if cfg.maxTokenSize < 0 {
			return &Error{Status: ErrInvalidArgument, Message: "max token size must not be negative"}
		}
		if st := C.ajwt_verifier_set_max_token_size(p, C.size_t(cfg.maxTokenSize), e); st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	if err := configureBinding(p, cfg, e); err != nil {
		return err
	}
	if cfg.nonceStore != nil {
		h := cfg.nonceStore.handle()
		if h == nil {
			return closedError("nonce store")
		}
		st := C.ajwt_verifier_set_nonce_store(p, h, e)
		runtime.KeepAlive(cfg.nonceStore)
		if st != C.AJWT_OK {
			return newError(st, e)
		}
	}
	return nil
}

// Close releases the verifier (authenticators made from it keep their own copy).
func (v *Verifier) Close() error {
	if v != nil && v.ptr != nil {
		v.cleanup.Stop()
		C.ajwt_verifier_free(v.ptr)
		v.ptr = nil
	}
	return nil
}

func (v *Verifier) handle() *C.ajwt_verifier {
	if v == nil {
		return nil
	}
	return v.ptr
}

// Parse decodes a token with the verifier's size cap (see ParseToken).
func (v *Verifier) Parse(token string) (*Token, error) {
	h := v.handle()
	if h == nil {
		return nil, closedError("verifier")
	}
	var out *C.ajwt_token
	var e C.ajwt_error
	p, n := cstr(token)
	st := C.ajwt_verifier_parse(h, p, n, &out, &e)
	runtime.KeepAlive(v)
	if st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapToken(out), nil
}

// Verify checks the signature with key, then the time window against now (Unix seconds), then
// records the nonce when the verifier has a store. nil means the token is authentic.
func (v *Verifier) Verify(token *Token, key *Key, now int64) error {
	h, th, kh := v.handle(), token.handle(), key.handle()
	if h == nil || th == nil || kh == nil {
		return closedError("verifier, token or key")
	}
	cs := getCallState()
	defer putCallState(cs)
	st := C.ajwt_verify(h, th, kh, C.int64_t(now), &cs.err)
	runtime.KeepAlive(v)
	runtime.KeepAlive(token)
	runtime.KeepAlive(key)
	return newError(st, &cs.err)
}

// VerifyKeySet is Verify with a key set: the member matching the token's kid first, then the
// others. It returns the member that verified.
func (v *Verifier) VerifyKeySet(token *Token, keys *KeySet, now int64) (*Key, error) {
	h, th, sh := v.handle(), token.handle(), keys.handle()
	if h == nil || th == nil || sh == nil {
		return nil, closedError("verifier, token or key set")
	}
	cs := getCallState()
	defer putCallState(cs)
	st := C.ajwt_verify_keyset(h, th, sh, C.int64_t(now), &cs.used, &cs.err)
	var key *Key
	if st == C.AJWT_OK {
		key = borrowKeyCopy(cs.used) // borrowed from the set: take a reference before it can go
	}
	runtime.KeepAlive(v)
	runtime.KeepAlive(token)
	runtime.KeepAlive(keys)
	if st != C.AJWT_OK {
		return nil, newError(st, &cs.err)
	}
	return key, nil
}

// VerifyToken parses and verifies a compact token in one step and returns the verified
// username.
func (v *Verifier) VerifyToken(token string, key *Key, now int64) (string, error) {
	h, kh := v.handle(), key.handle()
	if h == nil || kh == nil {
		return "", closedError("verifier or key")
	}
	// The parsed token never leaves this function: no Go Token, no cleanup to register.
	cs := getCallState()
	defer putCallState(cs)
	p, n := cstr(token)
	if st := C.ajwt_verifier_parse(h, p, n, &cs.token, &cs.err); st != C.AJWT_OK {
		runtime.KeepAlive(v)
		return "", newError(st, &cs.err)
	}
	defer C.ajwt_token_free(cs.token)
	st := C.ajwt_verify(h, cs.token, kh, C.int64_t(now), &cs.err)
	runtime.KeepAlive(v)
	runtime.KeepAlive(key)
	if st != C.AJWT_OK {
		return "", newError(st, &cs.err)
	}
	var un C.size_t
	return borrowedString(C.ajwt_token_username(cs.token, &un), un), nil
}
