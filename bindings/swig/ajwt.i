/*
 * ajwt.i — SWIG interface of libajwt, a thin layer over the stable C ABI (include/ajwt.h).
 *
 * Language-neutral part: every (const char *, size_t) input pair is a byte string (SWIG's
 * standard (const char *STRING, size_t LENGTH) typemap: byte[] in Java, bytes in Python ...);
 * the trailing `ajwt_error *err` disappears from the target signature and a failure status
 * becomes a target-language exception; the raw function-pointer callbacks are left out in
 * favour of two classes the target language subclasses (SWIG directors, hence C++ mode:
 * swig -c++): ajwt_repository (the authenticator's user, key, JWKS and key-used callbacks) and
 * ajwt_nonce_backend (a host nonce store). What cannot be neutral (how handles, byte outputs
 * and exceptions look) lives in ajwt_<language>.i, included below.
 *
 *   swig -java -package org.libajwt.internal -I<repo>/include -c++ -o ajwt_wrap.cxx ajwt.i
 */
#if defined(SWIGJAVA)
%module(directors="1") AjwtNative
#else
%module(directors="1") ajwt
#endif

%{
#include <stdio.h>
#include <string.h>
#include "ajwt.h"
%}

%include <stdint.i>
/* uint64_t is only the RSA public exponent: a plain signed 64-bit integer is enough. */
%apply int64_t { uint64_t };

/* ---- byte-string inputs: (pointer, length) pairs ------------------------------------- */
%apply (const char *STRING, size_t LENGTH) {
    (const char *text, size_t text_len),
    (const char *password, size_t password_len),
    (const char *name, size_t name_len),
    (const char *json, size_t json_len),
    (const char *kid, size_t kid_len),
    (const char *username, size_t username_len),
    (const char *nonce, size_t nonce_len),
    (const char *method, size_t method_len),
    (const char *token, size_t token_len),
    (const char *header, size_t header_len),
    (const char *target, size_t target_len),
    (const char *audience, size_t audience_len),
    (const uint8_t *message, size_t message_len),
    (const uint8_t *signature, size_t signature_len),
    (const char *url, size_t url_len),
    (const char *data, size_t data_len),
    (const char *body, size_t body_len)
};

/* ---- errors: ajwt_error *err is filled by the wrapper and raised on failure ------------ */
%typemap(in, numinputs=0) ajwt_error *err (ajwt_error temp) {
    memset(&temp, 0, sizeof temp);
    $1 = &temp;
}
#if defined(SWIGJAVA)
%include "ajwt_java.i"
#else
/* Generic fallback: a runtime error carrying the message. The library fills err on every
 * failure, so its status (not the return value) decides. */
%include <exception.i>
%typemap(argout) ajwt_error *err {
    if ($1->status != AJWT_OK) SWIG_exception(SWIG_RuntimeError, $1->message);
}
#endif

/* ---- left out -------------------------------------------------------------------------- */
/* The error struct is internal to the wrapper now. */
%ignore ajwt_error;
%ignore ajwt_error_message_size;
/* Library-allocated bytes are copied into the target language and freed by the wrapper. */
%ignore ajwt_free;
/* Raw callbacks (function pointer + void *) are replaced by the director classes below. */
%ignore ajwt_nonce_store_new_callback;
%ignore ajwt_authenticator_set_user_exists;
%ignore ajwt_authenticator_set_user_keys;
%ignore ajwt_authenticator_set_user_jwks;
%ignore ajwt_authenticator_set_key_used;
%ignore ajwt_authenticator_set_jwks_cache;
%ignore ajwt_jwks_cache_set_http_get;
/* A SHA-256 is at hand in every target language; the request calls take its 32 bytes. */
%ignore ajwt_body_digest;

#define AJWT_STATIC  /* AJWT_API expands to nothing for SWIG */
%include "ajwt.h"

/* ---- repositories: the authenticator's callbacks as a subclassable class ----------------
 * Only glue: each virtual method is one ajwt_*_callback, and the trampolines pass the
 * arguments through unchanged. Methods return ajwt_status values (as int). */
%feature("director") ajwt_repository;
%inline %{
struct ajwt_repository {
    virtual ~ajwt_repository() {}
    /** AJWT_OK when the user exists, AJWT_ERR_UNKNOWN_USER when not. */
    virtual int user_exists(const char *username, size_t username_len) {
        (void)username; (void)username_len;
        return AJWT_OK;
    }
    /** Adds the user's public keys to `out` (kid, possibly NULL, is a hint). */
    virtual int user_keys(const char *username, size_t username_len, const char *kid, size_t kid_len,
                          ajwt_keyset *out) = 0;
    /** Adds keys from the user's trusted JWKS endpoints to `out`; asked only for a kid the
     *  user's keys lack (installed by ajwt_authenticator_set_repository_jwks). */
    virtual int user_jwks(const char *username, size_t username_len, const char *kid, size_t kid_len,
                          ajwt_keyset *out) {
        (void)username; (void)username_len; (void)kid; (void)kid_len; (void)out;
        return AJWT_OK;
    }
    /** Told which key verified a request; `key` is borrowed for the call (installed by
     *  ajwt_authenticator_set_repository_key_used). */
    virtual void key_used(const char *username, size_t username_len, const ajwt_key *key) {
        (void)username; (void)username_len; (void)key;
    }
    /** Adds the JWKS URLs the user trusts to `out` (ajwt_jwks_url_list_add) for the
     *  authenticator's JWKS cache (installed by ajwt_authenticator_set_repository_jwks_cache). */
    virtual int user_jwks_urls(const char *username, size_t username_len, ajwt_jwks_url_list *out) {
        (void)username; (void)username_len; (void)out;
        return AJWT_OK;
    }
};
%}
%{
/* A NULL director object would be dereferenced by the first callback: refuse it up front. */
static ajwt_status ajwt_swig_null_object(const char *what, ajwt_error *err) {
    if (err) {
        err->status = AJWT_ERR_INVALID_ARGUMENT;
        snprintf(err->message, sizeof err->message, "%s is NULL", what);
    }
    return AJWT_ERR_INVALID_ARGUMENT;
}
static ajwt_status ajwt_repository_user_exists_cb(void *user_data, const char *username, size_t username_len) {
    return (ajwt_status)static_cast<ajwt_repository *>(user_data)->user_exists(username, username_len);
}
static ajwt_status ajwt_repository_user_keys_cb(void *user_data, const char *username, size_t username_len,
                                                const char *kid, size_t kid_len, ajwt_keyset *out) {
    return (ajwt_status)static_cast<ajwt_repository *>(user_data)->user_keys(username, username_len, kid,
                                                                              kid_len, out);
}
static ajwt_status ajwt_repository_user_jwks_cb(void *user_data, const char *username, size_t username_len,
                                                const char *kid, size_t kid_len, ajwt_keyset *out) {
    return (ajwt_status)static_cast<ajwt_repository *>(user_data)->user_jwks(username, username_len, kid,
                                                                              kid_len, out);
}
static ajwt_status ajwt_repository_user_jwks_urls_cb(void *user_data, const char *username, size_t username_len,
                                                     ajwt_jwks_url_list *out) {
    return (ajwt_status)static_cast<ajwt_repository *>(user_data)->user_jwks_urls(username, username_len, out);
}
static void ajwt_repository_key_used_cb(void *user_data, const char *username, size_t username_len,
                                        const ajwt_key *key) {
    static_cast<ajwt_repository *>(user_data)->key_used(username, username_len, key);
}
%}
%inline %{
/** Installs `repo` as the user-exists and user-keys callbacks. The caller keeps `repo` alive
 *  as long as the authenticator. */
ajwt_status ajwt_authenticator_set_repository(ajwt_authenticator *auth, ajwt_repository *repo, ajwt_error *err) {
    if (!repo) return ajwt_swig_null_object("repo", err);
    ajwt_status s = ajwt_authenticator_set_user_exists(auth, ajwt_repository_user_exists_cb, repo, err);
    if (s != AJWT_OK) return s;
    return ajwt_authenticator_set_user_keys(auth, ajwt_repository_user_keys_cb, repo, err);
}
/** Also installs `repo` as the user-JWKS source (optional; only repositories that have one). */
ajwt_status ajwt_authenticator_set_repository_jwks(ajwt_authenticator *auth, ajwt_repository *repo,
                                                   ajwt_error *err) {
    if (!repo) return ajwt_swig_null_object("repo", err);
    return ajwt_authenticator_set_user_jwks(auth, ajwt_repository_user_jwks_cb, repo, err);
}
/** Keys of the users' trusted JWKS URLs (repo->user_jwks_urls) through `cache`
 *  (ajwt_authenticator_set_jwks_cache); cache NULL removes it. */
ajwt_status ajwt_authenticator_set_repository_jwks_cache(ajwt_authenticator *auth, ajwt_jwks_cache *cache,
                                                         ajwt_repository *repo, ajwt_error *err) {
    if (!repo) return ajwt_swig_null_object("repo", err);
    return ajwt_authenticator_set_jwks_cache(auth, cache, cache ? ajwt_repository_user_jwks_urls_cb : NULL,
                                             cache ? repo : NULL, err);
}
/** Also installs `repo` as the key-used callback (optional: one more call per request). */
ajwt_status ajwt_authenticator_set_repository_key_used(ajwt_authenticator *auth, ajwt_repository *repo,
                                                       ajwt_error *err) {
    if (!repo) return ajwt_swig_null_object("repo", err);
    return ajwt_authenticator_set_key_used(auth, ajwt_repository_key_used_cb, repo, err);
}
%}

/* ---- host nonce stores: ajwt_nonce_store_new_callback over a subclassable class ----------
 * The store owns the backend: it is deleted (after released()) when the last reference to the
 * store goes away, so a verifier or authenticator holding the store keeps the backend alive. */
%feature("director") ajwt_nonce_backend;
%inline %{
struct ajwt_nonce_backend {
    virtual ~ajwt_nonce_backend() {}
    /** Atomically records (username, time, nonce): AJWT_OK if new, AJWT_ERR_NONCE_REPLAYED if
     *  already recorded, anything else on failure (the token is rejected). */
    virtual int check_and_record(const char *username, size_t username_len, int64_t time, const char *nonce,
                                 size_t nonce_len) = 0;
    /** Called once, just before the store deletes the backend. */
    virtual void released() {}
};
%}
%{
static ajwt_status ajwt_nonce_backend_check_cb(void *user_data, const char *username, size_t username_len,
                                               int64_t time, const char *nonce, size_t nonce_len) {
    return (ajwt_status)static_cast<ajwt_nonce_backend *>(user_data)->check_and_record(username, username_len, time,
                                                                                       nonce, nonce_len);
}
static void ajwt_nonce_backend_destroy_cb(void *user_data) {
    ajwt_nonce_backend *backend = static_cast<ajwt_nonce_backend *>(user_data);
    backend->released();
    delete backend;
}
%}
%inline %{
/** A nonce store over `backend`, which it owns from now on (also when this fails: then the
 *  backend is deleted right away). */
ajwt_status ajwt_nonce_store_new_backend(ajwt_nonce_backend *backend, ajwt_nonce_store **out, ajwt_error *err) {
    if (!backend) {
        if (out) *out = NULL;
        return ajwt_swig_null_object("backend", err);
    }
    ajwt_status s = ajwt_nonce_store_new_callback(ajwt_nonce_backend_check_cb, backend, ajwt_nonce_backend_destroy_cb,
                                                  out, err);
    if (s != AJWT_OK) delete backend;
    return s;
}
%}

/* ---- JWKS cache HTTP GET: ajwt_jwks_cache_set_http_get over a subclassable class ---------
 * The cache owns the getter: it is deleted when replaced or when the cache goes away. get() may
 * run on the cache's refresh thread. */
%feature("director") ajwt_http_getter;
%inline %{
struct ajwt_http_getter {
    virtual ~ajwt_http_getter() {}
    /** GET `url` within timeout_ms, reading at most max_body_size (+1, to tell "too large")
     *  body bytes into `response` (ajwt_http_response_set_status / _append); AJWT_OK, or any
     *  other status for a transport failure. */
    virtual int get(const char *url, size_t url_len, uint32_t timeout_ms, size_t max_body_size,
                    ajwt_http_response *response) = 0;
};
%}
%{
static ajwt_status ajwt_http_getter_get_cb(void *user_data, const char *url, size_t url_len, uint32_t timeout_ms,
                                           size_t max_body_size, ajwt_http_response *response) {
    return (ajwt_status)static_cast<ajwt_http_getter *>(user_data)->get(url, url_len, timeout_ms, max_body_size,
                                                                         response);
}
static void ajwt_http_getter_destroy_cb(void *user_data) {
    delete static_cast<ajwt_http_getter *>(user_data);
}
%}
%inline %{
/** Sets `getter` as the cache's GET callback; the cache owns it from now on (also when this
 *  fails: then it is deleted right away). */
ajwt_status ajwt_jwks_cache_set_http_getter(ajwt_jwks_cache *cache, ajwt_http_getter *getter, ajwt_error *err) {
    if (!getter) return ajwt_swig_null_object("getter", err);
    ajwt_status s = ajwt_jwks_cache_set_http_get(cache, ajwt_http_getter_get_cb, getter, ajwt_http_getter_destroy_cb,
                                                 err);
    if (s != AJWT_OK) delete getter;
    return s;
}
%}
