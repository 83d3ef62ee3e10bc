package ajwt

// The Go functions libajwt calls back. user_data is a cgo.Handle (never a Go pointer, which C
// must not keep); the C shims in shims.go register these functions with the library. A file
// with //export may only declare C in its preamble, hence the split.

/*
#include <ajwt.h>
*/
import "C"

import (
	"errors"
	"runtime/cgo"
	"time"
	"unsafe"
)

// statusFor maps a host error to the status the library expects back: a Status inside err is
// passed through (so a repository may answer ErrUnknownUser itself), anything else is a
// callback failure.
func statusFor(err error) C.ajwt_status {
	if err == nil {
		return C.AJWT_OK
	}
	var s Status
	if errors.As(err, &s) && s != statusOK {
		return C.ajwt_status(s)
	}
	return C.AJWT_ERR_CALLBACK_FAILED
}

// recovered turns a panic in host code into a failure status: a Go panic must not unwind
// through the library's C and C++ frames.
func recovered(status *C.ajwt_status) {
	if r := recover(); r != nil {
		*status = C.AJWT_ERR_CALLBACK_FAILED
	}
}

//export ajwtGoNonceCheck
func ajwtGoNonceCheck(userData unsafe.Pointer, username *C.char, usernameLen C.size_t, t C.int64_t,
	nonce *C.char, nonceLen C.size_t) (status C.ajwt_status) {
	defer recovered(&status)
	checker := cgo.Handle(uintptr(userData)).Value().(NonceChecker)
	fresh, err := checker.CheckAndRecord(borrowedString(username, usernameLen), int64(t),
		borrowedString(nonce, nonceLen))
	switch {
	case err != nil:
		return statusFor(err)
	case fresh:
		return C.AJWT_OK
	default:
		return C.AJWT_ERR_NONCE_REPLAYED
	}
}

//export ajwtGoNonceDestroy
func ajwtGoNonceDestroy(userData unsafe.Pointer) {
	cgo.Handle(uintptr(userData)).Delete()
}

//export ajwtGoUserExists
func ajwtGoUserExists(userData unsafe.Pointer, username *C.char, usernameLen C.size_t) (status C.ajwt_status) {
	defer recovered(&status)
	repo := cgo.Handle(uintptr(userData)).Value().(*authRepository)
	exists, err := repo.users.UserExists(borrowedString(username, usernameLen))
	switch {
	case err != nil:
		return statusFor(err)
	case exists:
		return C.AJWT_OK
	default:
		return C.AJWT_ERR_UNKNOWN_USER
	}
}

//export ajwtGoUserKeys
func ajwtGoUserKeys(userData unsafe.Pointer, username *C.char, usernameLen C.size_t, kid *C.char,
	kidLen C.size_t, out *C.ajwt_keyset) (status C.ajwt_status) {
	defer recovered(&status)
	repo := cgo.Handle(uintptr(userData)).Value().(*authRepository)
	return fillKeys(repo.keys.UserKeys, username, usernameLen, kid, kidLen, out)
}

//export ajwtGoUserJWKS
func ajwtGoUserJWKS(userData unsafe.Pointer, username *C.char, usernameLen C.size_t, kid *C.char,
	kidLen C.size_t, out *C.ajwt_keyset) (status C.ajwt_status) {
	defer recovered(&status)
	repo := cgo.Handle(uintptr(userData)).Value().(*authRepository)
	return fillKeys(repo.jwks.UserJWKS, username, usernameLen, kid, kidLen, out)
}

// fillKeys lends the library's key set to a repository method for the length of the call.
func fillKeys(fill func(username, kid string, keys *KeySet) error, username *C.char, usernameLen C.size_t,
	kid *C.char, kidLen C.size_t, out *C.ajwt_keyset) C.ajwt_status {
	keys := &KeySet{ptr: out, borrowed: true}
	defer func() { keys.ptr = nil }() // a kept reference fails cleanly instead of dangling
	return statusFor(fill(borrowedString(username, usernameLen), borrowedString(kid, kidLen), keys))
}

//export ajwtGoKeyUsed
func ajwtGoKeyUsed(userData unsafe.Pointer, username *C.char, usernameLen C.size_t, key *C.ajwt_key) {
	defer func() { _ = recover() }() // nothing to report to: the request already passed
	repo := cgo.Handle(uintptr(userData)).Value().(*authRepository)
	repo.used.KeyUsed(borrowedString(username, usernameLen), borrowKeyCopy(key))
}

//export ajwtGoHTTPGet
func ajwtGoHTTPGet(userData unsafe.Pointer, url *C.char, urlLen C.size_t, timeoutMs C.uint32_t, maxBody C.size_t,
	response *C.ajwt_http_response) (status C.ajwt_status) {
	defer recovered(&status)
	fetcher := cgo.Handle(uintptr(userData)).Value().(JWKSFetcher)
	code, body, err := fetcher.FetchJWKS(borrowedString(url, urlLen), time.Duration(timeoutMs)*time.Millisecond,
		int(maxBody))
	if err != nil {
		return C.AJWT_ERR_JWKS_FETCH
	}
	var e C.ajwt_error
	if st := C.ajwt_http_response_set_status(response, C.int(code), &e); st != C.AJWT_OK {
		return st
	}
	if len(body) == 0 {
		return C.AJWT_OK
	}
	p, n := cbytes(body)
	return C.ajwt_http_response_append(response, p, n, &e)
}

//export ajwtGoFetcherDestroy
func ajwtGoFetcherDestroy(userData unsafe.Pointer) {
	cgo.Handle(uintptr(userData)).Delete()
}
