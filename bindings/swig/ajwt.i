/*
 * ajwt.i — SWIG interface of libajwt, a thin layer over the stable C ABI (capi/include/ajwt.h).
 *
 * Language-neutral part: every (const char *, size_t) input pair is a byte string (SWIG's
 * standard (const char *STRING, size_t LENGTH) typemap: byte[] in Java, bytes in Python ...);
 * the trailing `ajwt_error *err` disappears from the target signature and a failure status
 * becomes a target-language exception; the raw function-pointer callbacks are left out in
 * favour of ajwt_repository, a class the target language subclasses (SWIG directors, hence
 * C++ mode: swig -c++). What cannot be neutral (how handles, byte outputs and exceptions look)
 * lives in ajwt_<language>.i, included below.
 *
 *   swig -java -package org.libajwt.internal -I<repo>/capi/include -c++ -o ajwt_wrap.cxx ajwt.i
 */
#if defined(SWIGJAVA)
%module(directors="1") AjwtNative
#else
%module(directors="1") ajwt
#endif

%{
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
    (const uint8_t *message, size_t message_len),
    (const uint8_t *signature, size_t signature_len)
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
/* Raw callbacks (function pointer + void *) are replaced by ajwt_repository below. */
%ignore ajwt_nonce_store_new_callback;
%ignore ajwt_authenticator_set_user_exists;
%ignore ajwt_authenticator_set_user_keys;
%ignore ajwt_authenticator_set_user_jwks;
%ignore ajwt_authenticator_set_key_used;

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
};
%}
%{
static ajwt_status ajwt_repository_user_exists_cb(void *user_data, const char *username, size_t username_len) {
    return (ajwt_status)static_cast<ajwt_repository *>(user_data)->user_exists(username, username_len);
}
static ajwt_status ajwt_repository_user_keys_cb(void *user_data, const char *username, size_t username_len,
                                                const char *kid, size_t kid_len, ajwt_keyset *out) {
    return (ajwt_status)static_cast<ajwt_repository *>(user_data)->user_keys(username, username_len, kid,
                                                                              kid_len, out);
}
%}
%inline %{
/** Installs `repo` as the user-exists and user-keys callbacks. The caller keeps `repo` alive
 *  as long as the authenticator. */
ajwt_status ajwt_authenticator_set_repository(ajwt_authenticator *auth, ajwt_repository *repo, ajwt_error *err) {
    ajwt_status s = ajwt_authenticator_set_user_exists(auth, ajwt_repository_user_exists_cb, repo, err);
    if (s != AJWT_OK) return s;
    return ajwt_authenticator_set_user_keys(auth, ajwt_repository_user_keys_cb, repo, err);
}
%}
