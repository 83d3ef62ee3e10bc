package ajwt

/*
#include <ajwt.h>
*/
import "C"

import (
	"bytes"
	"errors"
	"unsafe"
)

// Status is a libajwt status code (ajwt_status). The values are stable. A Status is itself an
// error, so errors.Is(err, ajwt.ErrBadSignature) matches any *Error with that status.
type Status int

// The statuses of ajwt.h, under Go names.
const (
	ErrInvalidArgument      Status = C.AJWT_ERR_INVALID_ARGUMENT
	ErrOutOfMemory          Status = C.AJWT_ERR_OUT_OF_MEMORY
	ErrInternal             Status = C.AJWT_ERR_INTERNAL
	ErrCallbackFailed       Status = C.AJWT_ERR_CALLBACK_FAILED
	ErrKeyParse             Status = C.AJWT_ERR_KEY_PARSE
	ErrKeyUnsupported       Status = C.AJWT_ERR_KEY_UNSUPPORTED
	ErrKeyTooSmall          Status = C.AJWT_ERR_KEY_TOO_SMALL
	ErrKeyTooLarge          Status = C.AJWT_ERR_KEY_TOO_LARGE
	ErrPasswordRequired     Status = C.AJWT_ERR_PASSWORD_REQUIRED
	ErrWrongPassword        Status = C.AJWT_ERR_WRONG_PASSWORD
	ErrEncryptedOpenSSHKey  Status = C.AJWT_ERR_ENCRYPTED_OPENSSH_KEY
	ErrNotPrivateKey        Status = C.AJWT_ERR_NOT_PRIVATE_KEY
	ErrPrivateKeyGiven      Status = C.AJWT_ERR_PRIVATE_KEY_GIVEN
	ErrJWKSParse            Status = C.AJWT_ERR_JWKS_PARSE
	ErrTokenTooLarge        Status = C.AJWT_ERR_TOKEN_TOO_LARGE
	ErrTokenFormat          Status = C.AJWT_ERR_TOKEN_FORMAT
	ErrTokenBase64          Status = C.AJWT_ERR_TOKEN_BASE64
	ErrTokenJSON            Status = C.AJWT_ERR_TOKEN_JSON
	ErrTokenHeader          Status = C.AJWT_ERR_TOKEN_HEADER
	ErrTokenClaims          Status = C.AJWT_ERR_TOKEN_CLAIMS
	ErrTokenTime            Status = C.AJWT_ERR_TOKEN_TIME
	ErrAlgorithmNotAllowed  Status = C.AJWT_ERR_ALGORITHM_NOT_ALLOWED
	ErrBadSignature         Status = C.AJWT_ERR_BAD_SIGNATURE
	ErrTokenExpired         Status = C.AJWT_ERR_TOKEN_EXPIRED
	ErrTokenFromFuture      Status = C.AJWT_ERR_TOKEN_FROM_FUTURE
	ErrNonceReplayed        Status = C.AJWT_ERR_NONCE_REPLAYED
	ErrNonceStoreFull       Status = C.AJWT_ERR_NONCE_STORE_FULL
	ErrNoAuthHeader         Status = C.AJWT_ERR_NO_AUTH_HEADER
	ErrWrongAuthMethod      Status = C.AJWT_ERR_WRONG_AUTH_METHOD
	ErrUnknownUser          Status = C.AJWT_ERR_UNKNOWN_USER
	ErrNoMatchingKey        Status = C.AJWT_ERR_NO_MATCHING_KEY
	ErrTokenExpPassed       Status = C.AJWT_ERR_TOKEN_EXP_PASSED
	ErrTokenNotYetValid     Status = C.AJWT_ERR_TOKEN_NOT_YET_VALID
	ErrTokenIatFuture       Status = C.AJWT_ERR_TOKEN_IAT_FUTURE
	ErrTokenAudience        Status = C.AJWT_ERR_TOKEN_AUDIENCE
	ErrTokenRegisteredClaim Status = C.AJWT_ERR_TOKEN_REGISTERED_CLAIM
	statusOK                Status = C.AJWT_OK
)

// Error is the library's static text for the status (ajwt_status_str).
func (s Status) Error() string { return C.GoString(C.ajwt_status_str(C.ajwt_status(s))) }

// Code is the numeric status, as in ajwt.h.
func (s Status) Code() int { return int(s) }

// Error is a failed libajwt call: its status and the library's message.
type Error struct {
	Status  Status
	Message string // detail from the library (ajwt_error.message); may equal the status text
}

func (e *Error) Error() string {
	if e.Message == "" || e.Message == e.Status.Error() {
		return "ajwt: " + e.Status.Error()
	}
	return "ajwt: " + e.Status.Error() + ": " + e.Message
}

// Unwrap gives the Status, so errors.Is(err, ajwt.ErrBadSignature) works.
func (e *Error) Unwrap() error { return e.Status }

// StatusOf returns the Status inside err (an *Error or a Status, possibly wrapped), or 0 and
// false for nil and for errors that did not come from libajwt.
func StatusOf(err error) (Status, bool) {
	var s Status
	if errors.As(err, &s) {
		return s, true
	}
	return 0, false
}

// newError turns a failed call's status and error struct into an *Error.
func newError(status C.ajwt_status, e *C.ajwt_error) error {
	if status == C.AJWT_OK {
		return nil
	}
	msg := ""
	if e != nil {
		msg = arrayString(&e.message[0], len(e.message))
	}
	return &Error{Status: Status(status), Message: msg}
}

// closedError reports use of a handle after Close.
func closedError(what string) error {
	return &Error{Status: ErrInvalidArgument, Message: what + " is closed"}
}

// arrayString copies the NUL-terminated text of a fixed-size C char array. It does in Go what
// C.GoString does, because C.GoString makes its argument (and so every caller's error struct or
// buffer) escape to the heap.
func arrayString(p *C.char, size int) string {
	b := unsafe.Slice((*byte)(unsafe.Pointer(p)), size)
	if end := bytes.IndexByte(b, 0); end >= 0 {
		b = b[:end]
	}
	return string(b)
}
