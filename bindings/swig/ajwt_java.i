/*
 * ajwt_java.i — the Java-specific half of ajwt.i (included from it; not used on its own).
 *
 * The generated layer (package org.libajwt.internal) is deliberately low level: handles are
 * plain `long` pointers, byte outputs come back through a one-element array, enums are int
 * constants. The idiomatic API (AutoCloseable handles, AjwtException, Java enums, String
 * in/out as UTF-8, Authenticator over a UserRepository via the ajwt_repository director) is
 * hand-written in org.libajwt on top of it.
 */

%include <enumtypeunsafe.swg>
%javaconst(1);

/* The generated JNI class loads nothing itself: org.libajwt.NativeLoader does. */
%pragma(java) jniclassclassmodifiers="public final class"
%pragma(java) moduleclassmodifiers="public final class"

/* ---- errors ---------------------------------------------------------------------------- */
%{
#include <stdint.h>
#include <stdlib.h>
/* Throws org.libajwt.AjwtException(int status, String message). */
static void ajwt_java_throw(JNIEnv *jenv, int status, const char *message) {
    jclass cls = jenv->FindClass("org/libajwt/AjwtException");
    if (!cls) return; /* NoClassDefFoundError is pending */
    jmethodID ctor = jenv->GetMethodID(cls, "<init>", "(ILjava/lang/String;)V");
    jstring msg = jenv->NewStringUTF(message);
    if (ctor && msg) {
        jobject ex = jenv->NewObject(cls, ctor, (jint)status, msg);
        if (ex) jenv->Throw((jthrowable)ex);
    }
}
%}

%typemap(argout) ajwt_error *err {
    if ($1->status != AJWT_OK) {
        ajwt_java_throw(jenv, (int)$1->status, $1->message);
        return $null;
    }
}

/* ---- a body digest: byte[32] or null (not bound / unknown) ------------------------------ */
%typemap(jni) const uint8_t *body_digest "jbyteArray"
%typemap(jtype) const uint8_t *body_digest "byte[]"
%typemap(jstype) const uint8_t *body_digest "byte[]"
%typemap(javain) const uint8_t *body_digest "$javainput"
%typemap(in) const uint8_t *body_digest (jbyte digest[AJWT_BODY_DIGEST_SIZE]) %{
    $1 = 0;
    if ($input) {
        if (jenv->GetArrayLength($input) != AJWT_BODY_DIGEST_SIZE) {
            SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "body digest must be 32 bytes (SHA-256)");
            return $null;
        }
        jenv->GetByteArrayRegion($input, 0, AJWT_BODY_DIGEST_SIZE, digest);
        $1 = ($1_ltype)digest;
    }
%}

/* ---- opaque handles as long ------------------------------------------------------------ */
%define AJWT_HANDLE(T)
%typemap(jni) T *, const T * "jlong"
%typemap(jtype) T *, const T * "long"
%typemap(jstype) T *, const T * "long"
%typemap(javain) T *, const T * "$javainput"
%typemap(javaout) T *, const T * { return $jnicall; }
%typemap(in) T *, const T * %{ $1 = ($1_ltype)(intptr_t)$input; %}
%typemap(out) T *, const T * %{ $result = (jlong)(intptr_t)$1; %}

/* Handle outputs: a long[1] receives the new handle (null array = "not wanted" = NULL). */
%typemap(jni) T **, const T ** "jlongArray"
%typemap(jtype) T **, const T ** "long[]"
%typemap(jstype) T **, const T ** "long[]"
%typemap(javain) T **, const T ** "$javainput"
%typemap(in) T ** (T *handle = 0), const T ** (const T *handle = 0) %{
    if ($input && jenv->GetArrayLength($input) < 1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaIndexOutOfBoundsException, "output array is empty");
        return $null;
    }
    $1 = $input ? ($1_ltype)&handle : 0;
%}
%typemap(argout) T **, const T ** %{
    if ($input) {
        jlong value = (jlong)(intptr_t)handle$argnum;
        jenv->SetLongArrayRegion($input, 0, 1, &value);
    }
%}
%enddef

AJWT_HANDLE(ajwt_key)
AJWT_HANDLE(ajwt_keyset)
AJWT_HANDLE(ajwt_token)
AJWT_HANDLE(ajwt_nonce_store)
AJWT_HANDLE(ajwt_verifier)
AJWT_HANDLE(ajwt_authenticator)
AJWT_HANDLE(ajwt_pending)
AJWT_HANDLE(ajwt_jwks_cache)
AJWT_HANDLE(ajwt_jwks_url_list)
AJWT_HANDLE(ajwt_http_response)

/* ---- what the JWKS cache tells an async host to do: an int[1] receives the action ------- */
%typemap(jni) ajwt_jwks_action *action "jintArray"
%typemap(jtype) ajwt_jwks_action *action "int[]"
%typemap(jstype) ajwt_jwks_action *action "int[]"
%typemap(javain) ajwt_jwks_action *action "$javainput"
%typemap(in) ajwt_jwks_action *action (ajwt_jwks_action action_value = AJWT_JWKS_NONE) %{
    if (!$input || jenv->GetArrayLength($input) < 1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "action array must have length 1");
        return $null;
    }
    $1 = &action_value;
%}
%typemap(argout) ajwt_jwks_action *action %{
    {
        jint value = (jint)action_value$argnum;
        jenv->SetIntArrayRegion($input, 0, 1, &value);
    }
%}

/* ---- a caller-sized text output (the nonce key): a byte[] of the size is filled ---------- */
%typemap(jni) (char *out, size_t out_size) "jbyteArray"
%typemap(jtype) (char *out, size_t out_size) "byte[]"
%typemap(jstype) (char *out, size_t out_size) "byte[]"
%typemap(javain) (char *out, size_t out_size) "$javainput"
%typemap(in) (char *out, size_t out_size) (char *buffer = 0, jsize n = 0) %{
    if (!$input) {
        SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "output buffer is null");
        return $null;
    }
    n = jenv->GetArrayLength($input);
    buffer = (char *)calloc(n > 0 ? (size_t)n : 1, 1);
    if (!buffer) {
        SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "calloc");
        return $null;
    }
    $1 = buffer;
    $2 = (size_t)n;
%}
%typemap(argout) (char *out, size_t out_size) %{
    jenv->SetByteArrayRegion($input, 0, n$argnum, (const jbyte *)buffer$argnum);
%}
%typemap(freearg) (char *out, size_t out_size) %{ free(buffer$argnum); %}

/* ---- library-allocated bytes: byte[][1] receives them; ajwt_free right away ------------- */
%define AJWT_BYTES_OUT(PTR, LEN)
%typemap(jni) (char **PTR, size_t *LEN) "jobjectArray"
%typemap(jtype) (char **PTR, size_t *LEN) "byte[][]"
%typemap(jstype) (char **PTR, size_t *LEN) "byte[][]"
%typemap(javain) (char **PTR, size_t *LEN) "$javainput"
%typemap(in) (char **PTR, size_t *LEN) (char *data = 0, size_t len = 0) %{
    if (!$input || jenv->GetArrayLength($input) < 1) {
        SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "output array must have length 1");
        return $null;
    }
    $1 = &data;
    $2 = &len;
%}
%typemap(argout) (char **PTR, size_t *LEN) %{
    if (data$argnum) {
        jbyteArray bytes = jenv->NewByteArray((jsize)len$argnum);
        if (bytes) {
            jenv->SetByteArrayRegion(bytes, 0, (jsize)len$argnum, (const jbyte *)data$argnum);
            jenv->SetObjectArrayElement($input, 0, bytes);
            jenv->DeleteLocalRef(bytes);
        }
        ajwt_free(data$argnum);
        data$argnum = 0;
    }
%}
%typemap(freearg) (char **PTR, size_t *LEN) %{ ajwt_free(data$argnum); %}
%enddef

AJWT_BYTES_OUT(out, out_len)
AJWT_BYTES_OUT(token, token_len)

/* ---- fixed-size outputs (fingerprint, nonce): a byte[] of at least the size is filled ---- */
%typemap(jni) char out[ANY] "jbyteArray"
%typemap(jtype) char out[ANY] "byte[]"
%typemap(jstype) char out[ANY] "byte[]"
%typemap(javain) char out[ANY] "$javainput"
%typemap(in) char out[ANY] (char buffer[$1_dim0]) %{
    if (!$input || jenv->GetArrayLength($input) < (jsize)($1_dim0)) {
        SWIG_JavaThrowException(jenv, SWIG_JavaIllegalArgumentException, "output buffer too small");
        return $null;
    }
    memset(buffer, 0, sizeof buffer);
    $1 = buffer;
%}
%typemap(freearg) char out[ANY] ""  /* not the default char[] string release */
%typemap(argout) char out[ANY] %{
    jenv->SetByteArrayRegion($input, 0, (jsize)($1_dim0), (const jbyte *)buffer$argnum);
%}

/* ---- borrowed (pointer, *len) string results as byte[] (null for NULL) ----------------- */
%typemap(in, numinputs=0) size_t *len (size_t len_value = 0) %{ $1 = &len_value; %}
%define AJWT_BYTES_RESULT(FN)
%typemap(jni) const char *FN "jbyteArray"
%typemap(jtype) const char *FN "byte[]"
%typemap(jstype) const char *FN "byte[]"
%typemap(javaout) const char *FN { return $jnicall; }
%typemap(out) const char *FN %{ $result = 0; %}
%enddef
AJWT_BYTES_RESULT(ajwt_key_comment)
AJWT_BYTES_RESULT(ajwt_token_username)
AJWT_BYTES_RESULT(ajwt_token_nonce)
AJWT_BYTES_RESULT(ajwt_token_kid)
AJWT_BYTES_RESULT(ajwt_pending_username)
AJWT_BYTES_RESULT(ajwt_pending_kid)
AJWT_BYTES_RESULT(ajwt_pending_nonce_key)
/* Runs after the call, when both the pointer (result) and the length are known. */
%typemap(argout) size_t *len %{
    if (result) {
        $result = jenv->NewByteArray((jsize)len_value$argnum);
        if ($result)
            jenv->SetByteArrayRegion($result, 0, (jsize)len_value$argnum, (const jbyte *)result);
    }
%}

/* ---- algorithm lists as int[] ----------------------------------------------------------- */
%typemap(jni) (ajwt_alg *out, size_t capacity), (const ajwt_alg *algs, size_t count) "jintArray"
%typemap(jtype) (ajwt_alg *out, size_t capacity), (const ajwt_alg *algs, size_t count) "int[]"
%typemap(jstype) (ajwt_alg *out, size_t capacity), (const ajwt_alg *algs, size_t count) "int[]"
%typemap(javain) (ajwt_alg *out, size_t capacity), (const ajwt_alg *algs, size_t count) "$javainput"
%define AJWT_ALGS_IN(PAIR)
%typemap(in) PAIR (ajwt_alg *buffer = 0, jsize n = 0) %{
    if (!$input) {
        SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "array is null");
        return $null;
    }
    n = jenv->GetArrayLength($input);
    buffer = (ajwt_alg *)calloc(n > 0 ? (size_t)n : 1, sizeof *buffer);
    if (!buffer) {
        SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "calloc");
        return $null;
    }
    {
        jint *ints = jenv->GetIntArrayElements($input, 0);
        jsize i;
        for (i = 0; ints && i < n; i++) buffer[i] = (ajwt_alg)ints[i];
        if (ints) jenv->ReleaseIntArrayElements($input, ints, JNI_ABORT);
    }
    $1 = buffer;
    $2 = (size_t)n;
%}
%enddef
AJWT_ALGS_IN((ajwt_alg *out, size_t capacity))
AJWT_ALGS_IN((const ajwt_alg *algs, size_t count))
%typemap(argout) (ajwt_alg *out, size_t capacity) %{
    {
        jsize i;
        for (i = 0; i < n$argnum && (size_t)i < result; i++) {
            jint v = (jint)buffer$argnum[i];
            jenv->SetIntArrayRegion($input, i, 1, &v);
        }
    }
%}
%typemap(freearg) (ajwt_alg *out, size_t capacity), (const ajwt_alg *algs, size_t count) %{ free(buffer$argnum); %}

/* ---- repositories and nonce backends as Java objects (directors) ------------------------- */
%feature("director") ajwt_repository;
%feature("director") ajwt_nonce_backend;
%feature("director") ajwt_http_getter;
/* No finalizers: org.libajwt frees the director objects deterministically (Authenticator.close,
 * or the nonce store's destroy callback), and a finalizer running while C still holds the
 * pointer would be a use-after-free. */
%typemap(javafinalize) ajwt_repository, ajwt_nonce_backend, ajwt_http_getter ""
/* A Java exception escaping a callback must not unwind through libajwt: the Java side
 * (org.libajwt.Authenticator) catches everything; this is the last line of defence. */
%feature("director:except") %{
    if (jenv->ExceptionCheck()) {
        jenv->ExceptionClear();
        return AJWT_ERR_CALLBACK_FAILED;
    }
%}
/* The void callbacks have no status to report: the exception is dropped (the Java side has
 * already recorded it for the caller, see org.libajwt.Callbacks). */
%feature("director:except") ajwt_repository::key_used %{
    if (jenv->ExceptionCheck()) {
        jenv->ExceptionClear();
        return;
    }
%}
%feature("director:except") ajwt_nonce_backend::released %{
    if (jenv->ExceptionCheck()) {
        jenv->ExceptionClear();
        return;
    }
%}
%typemap(directorin, descriptor="J") ajwt_keyset *, const ajwt_key *, ajwt_jwks_url_list *, ajwt_http_response * %{
    $input = (jlong)(intptr_t)$1;
%}
%typemap(javadirectorin) ajwt_keyset *, const ajwt_key *, ajwt_jwks_url_list *, ajwt_http_response * "$jniinput"

/* ---- loading: the JNI class loads libajwt_jni through org.libajwt.NativeLoader ---------- */
%pragma(java) jniclasscode=%{
  static {
    org.libajwt.NativeLoader.load();
  }
%}
