package ajwt

// C shims that register the exported Go callbacks (callbacks.go). They turn the cgo.Handle
// (an integer) into the library's void *user_data on the C side, where that conversion is
// legal, and cast away the const-ness cgo's generated prototypes lack.

/*
#include <stdint.h>
#include <ajwt.h>

extern ajwt_status ajwtGoNonceCheck(void *, char *, size_t, int64_t, char *, size_t);
extern void ajwtGoNonceDestroy(void *);
extern ajwt_status ajwtGoUserExists(void *, char *, size_t);
extern ajwt_status ajwtGoUserKeys(void *, char *, size_t, char *, size_t, ajwt_keyset *);
extern ajwt_status ajwtGoUserJWKS(void *, char *, size_t, char *, size_t, ajwt_keyset *);
extern void ajwtGoKeyUsed(void *, char *, size_t, ajwt_key *);
extern ajwt_status ajwtGoHTTPGet(void *, char *, size_t, uint32_t, size_t, ajwt_http_response *);
extern void ajwtGoFetcherDestroy(void *);

static ajwt_status ajwt_go_nonce_store_new(uintptr_t handle, ajwt_nonce_store **out, ajwt_error *err) {
	return ajwt_nonce_store_new_callback((ajwt_nonce_callback)ajwtGoNonceCheck, (void *)handle,
	                                     ajwtGoNonceDestroy, out, err);
}

static ajwt_status ajwt_go_set_user_exists(ajwt_authenticator *auth, uintptr_t handle, ajwt_error *err) {
	return ajwt_authenticator_set_user_exists(auth, (ajwt_user_exists_callback)ajwtGoUserExists,
	                                          (void *)handle, err);
}

static ajwt_status ajwt_go_set_user_keys(ajwt_authenticator *auth, uintptr_t handle, ajwt_error *err) {
	return ajwt_authenticator_set_user_keys(auth, (ajwt_user_keys_callback)ajwtGoUserKeys, (void *)handle, err);
}

static ajwt_status ajwt_go_set_user_jwks(ajwt_authenticator *auth, uintptr_t handle, ajwt_error *err) {
	return ajwt_authenticator_set_user_jwks(auth, (ajwt_user_keys_callback)ajwtGoUserJWKS, (void *)handle, err);
}

static ajwt_status ajwt_go_set_key_used(ajwt_authenticator *auth, uintptr_t handle, ajwt_error *err) {
	return ajwt_authenticator_set_key_used(auth, (ajwt_key_used_callback)ajwtGoKeyUsed, (void *)handle, err);
}

static ajwt_status ajwt_go_set_http_get(ajwt_jwks_cache *cache, uintptr_t handle, ajwt_error *err) {
	return ajwt_jwks_cache_set_http_get(cache, (ajwt_http_get_callback)ajwtGoHTTPGet, (void *)handle,
	                                    ajwtGoFetcherDestroy, err);
}
*/
import "C"

import "runtime/cgo"

func newCallbackNonceStore(h cgo.Handle, out **C.ajwt_nonce_store, e *C.ajwt_error) C.ajwt_status {
	return C.ajwt_go_nonce_store_new(C.uintptr_t(h), out, e)
}

func setUserExists(a *C.ajwt_authenticator, h cgo.Handle, e *C.ajwt_error) C.ajwt_status {
	return C.ajwt_go_set_user_exists(a, C.uintptr_t(h), e)
}

func setUserKeys(a *C.ajwt_authenticator, h cgo.Handle, e *C.ajwt_error) C.ajwt_status {
	return C.ajwt_go_set_user_keys(a, C.uintptr_t(h), e)
}

func setUserJWKS(a *C.ajwt_authenticator, h cgo.Handle, e *C.ajwt_error) C.ajwt_status {
	return C.ajwt_go_set_user_jwks(a, C.uintptr_t(h), e)
}

func setKeyUsed(a *C.ajwt_authenticator, h cgo.Handle, e *C.ajwt_error) C.ajwt_status {
	return C.ajwt_go_set_key_used(a, C.uintptr_t(h), e)
}

func setHTTPGet(c *C.ajwt_jwks_cache, h cgo.Handle, e *C.ajwt_error) C.ajwt_status {
	return C.ajwt_go_set_http_get(c, C.uintptr_t(h), e)
}
