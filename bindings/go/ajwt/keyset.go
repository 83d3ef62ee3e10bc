package ajwt

/*
#include <ajwt.h>
*/
import "C"

import "runtime"

// KeySet is a set of public keys, e.g. the keys of one user or a JWK Set (ajwt_keyset).
// Fill it first, then share it: reading is safe concurrently, adding is not.
//
// The *KeySet handed to repository callbacks belongs to the library and is only valid during
// the callback; Close on it does nothing, and any use after the callback returned fails with
// ErrInvalidArgument.
type KeySet struct {
	ptr      *C.ajwt_keyset
	borrowed bool
	cleanup  runtime.Cleanup
}

func wrapKeySet(p *C.ajwt_keyset) *KeySet {
	s := &KeySet{ptr: p}
	s.cleanup = runtime.AddCleanup(s, func(p *C.ajwt_keyset) { C.ajwt_keyset_free(p) }, p)
	return s
}

// NewKeySet returns an empty key set.
func NewKeySet() (*KeySet, error) {
	var out *C.ajwt_keyset
	var e C.ajwt_error
	if st := C.ajwt_keyset_new(&out, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapKeySet(out), nil
}

// ParseJWKS parses a JWK Set document ({"keys": [...]}). Members libajwt cannot use are
// skipped (see Skipped) without failing the set.
func ParseJWKS(json []byte) (*KeySet, error) {
	var out *C.ajwt_keyset
	var e C.ajwt_error
	p, n := cbytes(json)
	if st := C.ajwt_keyset_parse_jwks(p, n, &out, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapKeySet(out), nil
}

// Close releases the set (keys taken from it with Key or Find stay valid).
func (s *KeySet) Close() error {
	if s != nil && s.ptr != nil && !s.borrowed {
		s.cleanup.Stop()
		C.ajwt_keyset_free(s.ptr)
		s.ptr = nil
	}
	return nil
}

func (s *KeySet) handle() *C.ajwt_keyset {
	if s == nil {
		return nil
	}
	return s.ptr
}

// Add adds a public key (a private key gives ErrPrivateKeyGiven: add key.Public()).
func (s *KeySet) Add(key *Key) error {
	h, kh := s.handle(), key.handle()
	if h == nil {
		return closedError("key set")
	}
	if kh == nil {
		return closedError("key")
	}
	var e C.ajwt_error
	st := C.ajwt_keyset_add(h, kh, &e)
	runtime.KeepAlive(s)
	runtime.KeepAlive(key)
	return newError(st, &e)
}

// AddText parses public key text (as ParsePublicKeyFormat, cached) and adds it.
func (s *KeySet) AddText(text []byte, format KeyFormat) error {
	h := s.handle()
	if h == nil {
		return closedError("key set")
	}
	var e C.ajwt_error
	p, n := cbytes(text)
	st := C.ajwt_keyset_add_text(h, p, n, C.ajwt_key_format(format), &e)
	runtime.KeepAlive(s)
	return newError(st, &e)
}

// AddJWKS parses a JWK Set document and adds its usable members.
func (s *KeySet) AddJWKS(json []byte) error {
	h := s.handle()
	if h == nil {
		return closedError("key set")
	}
	var e C.ajwt_error
	p, n := cbytes(json)
	st := C.ajwt_keyset_add_jwks(h, p, n, &e)
	runtime.KeepAlive(s)
	return newError(st, &e)
}

// Len is the number of keys in the set.
func (s *KeySet) Len() int {
	n := int(C.ajwt_keyset_count(s.handle()))
	runtime.KeepAlive(s)
	return n
}

// Key returns member i as its own Key, or nil when i is out of range.
func (s *KeySet) Key(i int) *Key {
	if i < 0 {
		return nil
	}
	k := borrowKeyCopy(C.ajwt_keyset_get(s.handle(), C.size_t(i)))
	runtime.KeepAlive(s)
	return k
}

// Find returns the member whose kid (JWK "kid", else fingerprint) is kid, or nil.
func (s *KeySet) Find(kid string) *Key {
	p, n := cstr(kid)
	k := borrowKeyCopy(C.ajwt_keyset_find(s.handle(), p, n))
	runtime.KeepAlive(s)
	return k
}

// Skipped gives the reason for each JWKS member skipped so far.
func (s *KeySet) Skipped() []string {
	h := s.handle()
	n := int(C.ajwt_keyset_skipped_count(h))
	reasons := make([]string, 0, n)
	for i := 0; i < n; i++ {
		if r := C.ajwt_keyset_skipped_reason(h, C.size_t(i)); r != nil {
			reasons = append(reasons, C.GoString(r))
		}
	}
	runtime.KeepAlive(s)
	return reasons
}

// JWKS writes the set as a JWK Set document.
func (s *KeySet) JWKS() ([]byte, error) {
	h := s.handle()
	if h == nil {
		return nil, closedError("key set")
	}
	var out *C.char
	var n C.size_t
	var e C.ajwt_error
	st := C.ajwt_keyset_to_jwks(h, &out, &n, &e)
	runtime.KeepAlive(s)
	if st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return takeBytes(out, n), nil
}
