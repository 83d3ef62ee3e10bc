package ajwt

/*
#include <ajwt.h>
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
)

// NonceChecker is a nonce store implemented in Go, e.g. over Redis or a database shared by
// several servers. CheckAndRecord must atomically record (username, time, nonce) and report
// whether it was new: (true, nil) new, (false, nil) seen before (the token is a replay), or an
// error, which rejects the token with ErrCallbackFailed. It is called from the goroutine that
// verifies, concurrently when verifications run concurrently.
type NonceChecker interface {
	CheckAndRecord(username string, time int64, nonce string) (bool, error)
}

// NonceCheckerFunc adapts a function to NonceChecker.
type NonceCheckerFunc func(username string, time int64, nonce string) (bool, error)

// CheckAndRecord calls f.
func (f NonceCheckerFunc) CheckAndRecord(username string, time int64, nonce string) (bool, error) {
	return f(username, time, nonce)
}

// NonceStore remembers (username, time, nonce) triples so a token is accepted once
// (ajwt_nonce_store). Give it to a verifier with WithNonceStore; the verifier keeps its own
// reference, so the store may be closed afterwards.
type NonceStore struct {
	ptr     *C.ajwt_nonce_store
	cleanup runtime.Cleanup
}

func wrapNonceStore(p *C.ajwt_nonce_store) *NonceStore {
	s := &NonceStore{ptr: p}
	s.cleanup = runtime.AddCleanup(s, func(p *C.ajwt_nonce_store) { C.ajwt_nonce_store_free(p) }, p)
	return s
}

// NewMemoryNonceStore returns the built-in in-memory store: safe for concurrent use, with an
// atomic check-and-record. An entry lives ttlSeconds after it is recorded (0 = 41, twice the
// default tolerance + 1); beyond maxEntries live entries (0 = 1,000,000) new nonces are refused
// with ErrNonceStoreFull. Each entry takes about 80 bytes, whatever the lengths.
func NewMemoryNonceStore(ttlSeconds int64, maxEntries int) (*NonceStore, error) {
	return NewMemoryNonceStoreWithUserCap(ttlSeconds, maxEntries, 0)
}

// NewMemoryNonceStoreWithUserCap is NewMemoryNonceStore where one username may hold at most
// maxEntriesPerUser live entries (0 = no cap of its own; more than maxEntries is
// ErrInvalidArgument): beyond it that user's new nonces get ErrNonceStoreFull while other
// users' still pass, so one client cannot fill the store for everyone
// (ajwt_nonce_store_new_memory_with_user_cap).
func NewMemoryNonceStoreWithUserCap(ttlSeconds int64, maxEntries, maxEntriesPerUser int) (*NonceStore, error) {
	if maxEntries < 0 || maxEntriesPerUser < 0 {
		return nil, &Error{Status: ErrInvalidArgument, Message: "maxEntries and maxEntriesPerUser must not be negative"}
	}
	var out *C.ajwt_nonce_store
	var e C.ajwt_error
	if st := C.ajwt_nonce_store_new_memory_with_user_cap(C.int64_t(ttlSeconds), C.size_t(maxEntries),
		C.size_t(maxEntriesPerUser), &out, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapNonceStore(out), nil
}

// NewNonceStore returns a store backed by a Go implementation. The store keeps checker
// reachable until the last reference to it (this value, verifiers using it) is gone.
func NewNonceStore(checker NonceChecker) (*NonceStore, error) {
	if checker == nil {
		return nil, &Error{Status: ErrInvalidArgument, Message: "nil NonceChecker"}
	}
	h := cgo.NewHandle(checker)
	var out *C.ajwt_nonce_store
	var e C.ajwt_error
	if st := newCallbackNonceStore(h, &out, &e); st != C.AJWT_OK {
		h.Delete() // the library did not take user_data
		return nil, newError(st, &e)
	}
	return wrapNonceStore(out), nil
}

// Close releases this reference to the store.
func (s *NonceStore) Close() error {
	if s != nil && s.ptr != nil {
		s.cleanup.Stop()
		C.ajwt_nonce_store_free(s.ptr)
		s.ptr = nil
	}
	return nil
}

func (s *NonceStore) handle() *C.ajwt_nonce_store {
	if s == nil {
		return nil
	}
	return s.ptr
}

// CheckAndRecord records (username, time, nonce) at time now: nil if it was new,
// ErrNonceReplayed if it was already recorded.
func (s *NonceStore) CheckAndRecord(username string, time int64, nonce string, now int64) error {
	h := s.handle()
	if h == nil {
		return closedError("nonce store")
	}
	up, un := cstr(username)
	np, nn := cstr(nonce)
	cs := getCallState()
	defer putCallState(cs)
	st := C.ajwt_nonce_store_check_and_record(h, up, un, C.int64_t(time), np, nn, C.int64_t(now), &cs.err)
	runtime.KeepAlive(s)
	return newError(st, &cs.err)
}

// Len is the number of live entries of a memory store (0 for a Go-backed store).
func (s *NonceStore) Len() int {
	n := int(C.ajwt_nonce_store_size(s.handle()))
	runtime.KeepAlive(s)
	return n
}
