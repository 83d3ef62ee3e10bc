// Package ajwt is the Go binding of libajwt: asymmetric-key JWT authentication for
// server-to-server HTTP requests (the protocol of the Python package asymmetric-jwt-auth 1.x).
//
// A client signs a short token {username, time, nonce} with its private key and sends
// "Authorization: JWT <token>"; the server looks the user up, verifies the signature with one
// of the user's public keys, checks the time window and records the nonce so the token is
// accepted once. All of the protocol runs in libajwt (found with pkg-config); this package only
// maps its C ABI (ajwt.h) onto Go types.
//
// Handles (Key, KeySet, Token, NonceStore, Verifier, Authenticator) own C memory. Close
// releases it at once; a handle that is never closed is released by the garbage collector.
// Keys, tokens, configured verifiers and authenticators are safe for concurrent use.
//
// Failures are *Error values carrying the library's Status; test them with errors.Is against
// the Err* constants (errors.Is(err, ajwt.ErrNonceReplayed)) or errors.As for the message.
package ajwt

/*
#cgo !ajwt_static pkg-config: ajwt
// -tags ajwt_static links libajwt.a instead of libajwt.so (docs/languages.md, "Go": the binary needs no
// libajwt.so at run time); ajwt.h and libajwt.a are found in the compiler's default paths or
// through CGO_CFLAGS=-I<prefix>/include and CGO_LDFLAGS=-L<prefix>/lib.
#cgo ajwt_static CFLAGS: -DAJWT_STATIC
#cgo ajwt_static LDFLAGS: -l:libajwt.a -lsodium -lcrypto -lstdc++ -lm

// Functions that never call back into Go and keep no pointer they are given: with both
// directives cgo lets their pointer arguments (error structs, out parameters) stay on the
// stack. Functions that can reach a Go callback (verification through a Go nonce store,
// authentication, and the frees that may release a Go store) must not be listed.
#cgo noescape ajwt_version
#cgo nocallback ajwt_version
#cgo noescape ajwt_version_number
#cgo nocallback ajwt_version_number
#cgo noescape ajwt_now
#cgo nocallback ajwt_now
#cgo noescape ajwt_free
#cgo nocallback ajwt_free
#cgo noescape ajwt_status_str
#cgo nocallback ajwt_status_str
#cgo noescape ajwt_alg_name
#cgo nocallback ajwt_alg_name
#cgo noescape ajwt_alg_from_name
#cgo nocallback ajwt_alg_from_name
#cgo noescape ajwt_key_load_public
#cgo nocallback ajwt_key_load_public
#cgo noescape ajwt_key_load_private
#cgo nocallback ajwt_key_load_private
#cgo noescape ajwt_key_generate
#cgo nocallback ajwt_key_generate
#cgo noescape ajwt_key_public
#cgo nocallback ajwt_key_public
#cgo noescape ajwt_key_free
#cgo nocallback ajwt_key_free
#cgo noescape ajwt_key_get_type
#cgo nocallback ajwt_key_get_type
#cgo noescape ajwt_key_is_private
#cgo nocallback ajwt_key_is_private
#cgo noescape ajwt_key_bits
#cgo nocallback ajwt_key_bits
#cgo noescape ajwt_key_comment
#cgo nocallback ajwt_key_comment
#cgo noescape ajwt_key_fingerprint
#cgo nocallback ajwt_key_fingerprint
#cgo noescape ajwt_key_algorithms
#cgo nocallback ajwt_key_algorithms
#cgo noescape ajwt_key_supports_alg
#cgo nocallback ajwt_key_supports_alg
#cgo noescape ajwt_key_export
#cgo nocallback ajwt_key_export
#cgo noescape ajwt_key_equal
#cgo nocallback ajwt_key_equal
#cgo noescape ajwt_keyset_new
#cgo nocallback ajwt_keyset_new
#cgo noescape ajwt_keyset_parse_jwks
#cgo nocallback ajwt_keyset_parse_jwks
#cgo noescape ajwt_keyset_free
#cgo nocallback ajwt_keyset_free
#cgo noescape ajwt_keyset_add
#cgo nocallback ajwt_keyset_add
#cgo noescape ajwt_keyset_add_text
#cgo nocallback ajwt_keyset_add_text
#cgo noescape ajwt_keyset_add_jwks
#cgo nocallback ajwt_keyset_add_jwks
#cgo noescape ajwt_keyset_count
#cgo nocallback ajwt_keyset_count
#cgo noescape ajwt_keyset_get
#cgo nocallback ajwt_keyset_get
#cgo noescape ajwt_keyset_find
#cgo nocallback ajwt_keyset_find
#cgo noescape ajwt_keyset_skipped_count
#cgo nocallback ajwt_keyset_skipped_count
#cgo noescape ajwt_keyset_skipped_reason
#cgo nocallback ajwt_keyset_skipped_reason
#cgo noescape ajwt_keyset_to_jwks
#cgo nocallback ajwt_keyset_to_jwks
#cgo noescape ajwt_sign
#cgo nocallback ajwt_sign
#cgo noescape ajwt_auth_header
#cgo nocallback ajwt_auth_header
#cgo noescape ajwt_signature_verify
#cgo nocallback ajwt_signature_verify
#cgo noescape ajwt_token_parse
#cgo nocallback ajwt_token_parse
#cgo noescape ajwt_token_free
#cgo nocallback ajwt_token_free
#cgo noescape ajwt_token_username
#cgo nocallback ajwt_token_username
#cgo noescape ajwt_token_nonce
#cgo nocallback ajwt_token_nonce
#cgo noescape ajwt_token_time
#cgo nocallback ajwt_token_time
#cgo noescape ajwt_token_alg
#cgo nocallback ajwt_token_alg
#cgo noescape ajwt_token_kid
#cgo nocallback ajwt_token_kid
#cgo noescape ajwt_nonce_store_new_memory_with_user_cap
#cgo nocallback ajwt_nonce_store_new_memory_with_user_cap
#cgo noescape ajwt_nonce_store_size
#cgo nocallback ajwt_nonce_store_size
#cgo noescape ajwt_verifier_new
#cgo nocallback ajwt_verifier_new
#cgo noescape ajwt_verifier_set_tolerance
#cgo nocallback ajwt_verifier_set_tolerance
#cgo noescape ajwt_verifier_set_algorithms
#cgo nocallback ajwt_verifier_set_algorithms
#cgo noescape ajwt_verifier_set_max_token_size
#cgo nocallback ajwt_verifier_set_max_token_size
#cgo noescape ajwt_verifier_parse
#cgo nocallback ajwt_verifier_parse
#cgo noescape ajwt_authenticator_new
#cgo nocallback ajwt_authenticator_new
#cgo noescape ajwt_authenticator_set_method
#cgo nocallback ajwt_authenticator_set_method
#include <stdlib.h>
#include <ajwt.h>

// This package is written against ajwt.h 0.1: refuse to build with another major version
// or an older minor one (the functions it calls might not exist there).
#if !defined(AJWT_VERSION_MAJOR) || AJWT_VERSION_MAJOR != 0 || AJWT_VERSION_MINOR < 1
#error "the ajwt Go package needs libajwt 0.x, x >= 1 (ajwt.h)"
#endif
*/
import "C"

import (
	"sync"
	"unsafe"
)

// HeaderVersion is the libajwt version this package was compiled against (AJWT_VERSION_STRING).
const HeaderVersion = C.AJWT_VERSION_STRING

// HeaderVersionNumber is AJWT_VERSION_NUMBER of the header this package was compiled against.
const HeaderVersionNumber = C.AJWT_VERSION_NUMBER

// DefaultTolerance is the default time window in seconds (AJWT_DEFAULT_TOLERANCE).
const DefaultTolerance = C.AJWT_DEFAULT_TOLERANCE

// DefaultMaxTokenSize is the default token size cap in bytes (AJWT_DEFAULT_MAX_TOKEN_SIZE).
const DefaultMaxTokenSize = C.AJWT_DEFAULT_MAX_TOKEN_SIZE

// Version is the version string of the libajwt loaded at run time, e.g. "0.1.0".
func Version() string { return C.GoString(C.ajwt_version()) }

// VersionNumber is the runtime twin of HeaderVersionNumber (major*10000 + minor*100 + patch).
func VersionNumber() int { return int(C.ajwt_version_number()) }

// Now is the system clock in whole Unix seconds, as libajwt reads it.
func Now() int64 { return int64(C.ajwt_now()) }

// zeroByte gives empty Go strings and slices a non-NULL address: the C ABI treats a NULL
// pointer as a missing argument even with length 0, and Go represents "" as (nil, 0).
var zeroByte byte

// cstr returns s as a (pointer, length) pair for one C call. The bytes are Go memory and stay
// valid for the duration of the call, which is all the library needs: it copies what it keeps.
func cstr(s string) (*C.char, C.size_t) {
	if len(s) == 0 {
		return (*C.char)(unsafe.Pointer(&zeroByte)), 0
	}
	return (*C.char)(unsafe.Pointer(unsafe.StringData(s))), C.size_t(len(s))
}

// cbytes is cstr for byte slices.
func cbytes(b []byte) (*C.char, C.size_t) {
	if len(b) == 0 {
		return (*C.char)(unsafe.Pointer(&zeroByte)), 0
	}
	return (*C.char)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// takeBytes copies library-allocated bytes into Go memory and releases them with ajwt_free.
func takeBytes(p *C.char, n C.size_t) []byte {
	defer C.ajwt_free(unsafe.Pointer(p))
	if p == nil {
		return nil
	}
	return C.GoBytes(unsafe.Pointer(p), C.int(n))
}

// takeString is takeBytes as a string.
func takeString(p *C.char, n C.size_t) string {
	defer C.ajwt_free(unsafe.Pointer(p))
	if p == nil {
		return ""
	}
	return C.GoStringN(p, C.int(n))
}

// borrowedString copies a (pointer, length) string the library owns.
func borrowedString(p *C.char, n C.size_t) string {
	if p == nil {
		return ""
	}
	return C.GoStringN(p, C.int(n))
}

// callState holds the error struct and out parameters of a call that may call back into Go.
// cgo moves such arguments to the heap, so they are pooled instead of allocated per call. It
// holds no Go pointers, so C may be given pointers into it.
type callState struct {
	err   C.ajwt_error
	token *C.ajwt_token
	key   *C.ajwt_key
	used  *C.ajwt_key
}

var callStates = sync.Pool{New: func() any { return new(callState) }}

func getCallState() *callState { return callStates.Get().(*callState) }

func putCallState(s *callState) {
	s.token, s.key, s.used = nil, nil, nil
	callStates.Put(s)
}
