//! Raw declarations of libajwt's C ABI, `ajwt.h` (libajwt 0.1), linked through pkg-config.
//!
//! Everything here is `unsafe` and mirrors the header one to one; the doc comments of
//! `ajwt.h` are the specification. Use the safe `ajwt` crate unless you need the raw calls.
//! The declarations are written by hand and checked against the installed header by this
//! crate's tests (`tests/header.rs`): every function, callback type, enum value and constant.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uint, c_void};
use core::marker::{PhantomData, PhantomPinned};

/* ---- version ----------------------------------------------------------------------- */
pub const AJWT_VERSION_MAJOR: u32 = 0;
pub const AJWT_VERSION_MINOR: u32 = 1;
pub const AJWT_VERSION_PATCH: u32 = 0;
pub const AJWT_VERSION_NUMBER: u32 =
    AJWT_VERSION_MAJOR * 10000 + AJWT_VERSION_MINOR * 100 + AJWT_VERSION_PATCH;
pub const AJWT_VERSION_STRING: &str = "0.1.0";

/* ---- status codes ------------------------------------------------------------------ */
/// `enum ajwt_status`. An integer, not a Rust enum: a callback or a newer library may hand
/// back values this crate does not know.
pub type ajwt_status = c_uint;
pub const AJWT_OK: ajwt_status = 0;
pub const AJWT_ERR_INVALID_ARGUMENT: ajwt_status = 1;
pub const AJWT_ERR_OUT_OF_MEMORY: ajwt_status = 2;
pub const AJWT_ERR_INTERNAL: ajwt_status = 3;
pub const AJWT_ERR_CALLBACK_FAILED: ajwt_status = 4;
pub const AJWT_ERR_KEY_PARSE: ajwt_status = 10;
pub const AJWT_ERR_KEY_UNSUPPORTED: ajwt_status = 11;
pub const AJWT_ERR_KEY_TOO_SMALL: ajwt_status = 12;
pub const AJWT_ERR_KEY_TOO_LARGE: ajwt_status = 13;
pub const AJWT_ERR_PASSWORD_REQUIRED: ajwt_status = 14;
pub const AJWT_ERR_WRONG_PASSWORD: ajwt_status = 15;
pub const AJWT_ERR_ENCRYPTED_OPENSSH_KEY: ajwt_status = 16;
pub const AJWT_ERR_NOT_PRIVATE_KEY: ajwt_status = 17;
pub const AJWT_ERR_PRIVATE_KEY_GIVEN: ajwt_status = 18;
pub const AJWT_ERR_JWKS_PARSE: ajwt_status = 19;
pub const AJWT_ERR_JWKS_FETCH: ajwt_status = 20;
pub const AJWT_ERR_TOKEN_TOO_LARGE: ajwt_status = 30;
pub const AJWT_ERR_TOKEN_FORMAT: ajwt_status = 31;
pub const AJWT_ERR_TOKEN_BASE64: ajwt_status = 32;
pub const AJWT_ERR_TOKEN_JSON: ajwt_status = 33;
pub const AJWT_ERR_TOKEN_HEADER: ajwt_status = 34;
pub const AJWT_ERR_TOKEN_CLAIMS: ajwt_status = 35;
pub const AJWT_ERR_TOKEN_TIME: ajwt_status = 36;
pub const AJWT_ERR_ALGORITHM_NOT_ALLOWED: ajwt_status = 40;
pub const AJWT_ERR_BAD_SIGNATURE: ajwt_status = 41;
pub const AJWT_ERR_TOKEN_EXPIRED: ajwt_status = 42;
pub const AJWT_ERR_TOKEN_FROM_FUTURE: ajwt_status = 43;
pub const AJWT_ERR_NONCE_REPLAYED: ajwt_status = 44;
pub const AJWT_ERR_NONCE_STORE_FULL: ajwt_status = 45;
pub const AJWT_ERR_NO_AUTH_HEADER: ajwt_status = 50;
pub const AJWT_ERR_WRONG_AUTH_METHOD: ajwt_status = 51;
pub const AJWT_ERR_UNKNOWN_USER: ajwt_status = 52;
pub const AJWT_ERR_NO_MATCHING_KEY: ajwt_status = 53;
pub const AJWT_ERR_TOKEN_EXP_PASSED: ajwt_status = 60;
pub const AJWT_ERR_TOKEN_NOT_YET_VALID: ajwt_status = 61;
pub const AJWT_ERR_TOKEN_IAT_FUTURE: ajwt_status = 62;
pub const AJWT_ERR_TOKEN_AUDIENCE: ajwt_status = 63;
pub const AJWT_ERR_TOKEN_REGISTERED_CLAIM: ajwt_status = 64;
pub const AJWT_ERR_BINDING_METHOD: ajwt_status = 80;
pub const AJWT_ERR_BINDING_TARGET: ajwt_status = 81;
pub const AJWT_ERR_BINDING_BODY: ajwt_status = 82;
pub const AJWT_ERR_BINDING_AUDIENCE: ajwt_status = 83;
pub const AJWT_ERR_BINDING_REQUIRED: ajwt_status = 84;

/// Request-binding policy (ajwt_binding_policy).
pub type ajwt_binding_policy = c_uint;
pub const AJWT_BINDING_OFF: ajwt_binding_policy = 0;
pub const AJWT_BINDING_WHEN_PRESENT: ajwt_binding_policy = 1;
pub const AJWT_BINDING_REQUIRED: ajwt_binding_policy = 2;
pub const AJWT_BODY_DIGEST_SIZE: usize = 32;

/// Token policy (ajwt_compat).
pub type ajwt_compat = c_uint;
pub const AJWT_COMPAT_STRICT: ajwt_compat = 0;
pub const AJWT_COMPAT_1X: ajwt_compat = 1;
pub const AJWT_DEFAULT_LEEWAY: i64 = 0;

pub const AJWT_ERROR_MESSAGE_SIZE: usize = 256;

/// Caller-owned error detail. Zero-initialise; the library fills it on failure.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct ajwt_error {
    pub status: ajwt_status,
    pub message: [c_char; AJWT_ERROR_MESSAGE_SIZE],
}

impl ajwt_error {
    /// A zero-initialised error struct.
    pub const fn new() -> Self {
        ajwt_error {
            status: AJWT_OK,
            message: [0; AJWT_ERROR_MESSAGE_SIZE],
        }
    }
}

impl Default for ajwt_error {
    fn default() -> Self {
        Self::new()
    }
}

/* ---- algorithms, key types, formats ------------------------------------------------ */
pub type ajwt_alg = c_uint;
pub const AJWT_ALG_UNKNOWN: ajwt_alg = 0;
pub const AJWT_ALG_RS256: ajwt_alg = 1;
pub const AJWT_ALG_RS384: ajwt_alg = 2;
pub const AJWT_ALG_RS512: ajwt_alg = 3;
pub const AJWT_ALG_PS256: ajwt_alg = 4;
pub const AJWT_ALG_PS384: ajwt_alg = 5;
pub const AJWT_ALG_PS512: ajwt_alg = 6;
pub const AJWT_ALG_ES256: ajwt_alg = 7;
pub const AJWT_ALG_ES384: ajwt_alg = 8;
pub const AJWT_ALG_ES512: ajwt_alg = 9;
pub const AJWT_ALG_EDDSA: ajwt_alg = 10;

pub type ajwt_key_type = c_uint;
pub const AJWT_KEY_RSA: ajwt_key_type = 1;
pub const AJWT_KEY_ED25519: ajwt_key_type = 2;
pub const AJWT_KEY_ED448: ajwt_key_type = 3;
pub const AJWT_KEY_EC_P256: ajwt_key_type = 4;
pub const AJWT_KEY_EC_P384: ajwt_key_type = 5;
pub const AJWT_KEY_EC_P521: ajwt_key_type = 6;

pub type ajwt_key_format = c_uint;
pub const AJWT_FORMAT_ANY: ajwt_key_format = 0;
pub const AJWT_FORMAT_PEM: ajwt_key_format = 1;
pub const AJWT_FORMAT_OPENSSH: ajwt_key_format = 2;
pub const AJWT_FORMAT_JWK: ajwt_key_format = 3;

pub type ajwt_export_format = c_uint;
pub const AJWT_EXPORT_PUBLIC_PEM: ajwt_export_format = 1;
pub const AJWT_EXPORT_PUBLIC_OPENSSH: ajwt_export_format = 2;
pub const AJWT_EXPORT_PUBLIC_JWK: ajwt_export_format = 3;
pub const AJWT_EXPORT_PRIVATE_PKCS8: ajwt_export_format = 4;

pub const AJWT_FINGERPRINT_SIZE: usize = 65;
pub const AJWT_NONCE_RANDOM_BYTES: usize = 8;
pub const AJWT_NONCE_SIZE: usize = 12;
pub const AJWT_DEFAULT_MAX_TOKEN_SIZE: usize = 8192;
pub const AJWT_DEFAULT_TOLERANCE: i64 = 20;
pub const AJWT_DEFAULT_NONCE_TTL: i64 = 41;
pub const AJWT_DEFAULT_NONCE_MAX_ENTRIES: usize = 1000000;
pub const AJWT_NONCE_STORE_MAX_INPUT: usize = 1024;
pub const AJWT_NONCE_KEY_SIZE: usize = 75;

/// What the host's nonce store did (`enum ajwt_nonce_outcome`), for ajwt_pending_finish.
pub type ajwt_nonce_outcome = c_uint;
pub const AJWT_NONCE_RECORDED: ajwt_nonce_outcome = 0;
pub const AJWT_NONCE_ALREADY_RECORDED: ajwt_nonce_outcome = 1;
pub const AJWT_NONCE_STORE_FAILED: ajwt_nonce_outcome = 2;
pub const AJWT_NONCE_USE_VERIFIER_STORE: ajwt_nonce_outcome = 3;

/* ---- opaque handles ---------------------------------------------------------------- */
macro_rules! opaque {
    ($($name:ident),* $(,)?) => {$(
        /// Opaque handle (see ajwt.h for its thread safety).
        #[repr(C)]
        pub struct $name {
            _data: [u8; 0],
            _marker: PhantomData<(*mut u8, PhantomPinned)>,
        }
    )*};
}
opaque!(
    ajwt_key,
    ajwt_keyset,
    ajwt_token,
    ajwt_nonce_store,
    ajwt_verifier,
    ajwt_authenticator,
    ajwt_pending,
    ajwt_jwks_cache,
    ajwt_http_response,
    ajwt_jwks_url_list
);

/* ---- JWKS cache --------------------------------------------------------------------- */
pub const AJWT_JWKS_DEFAULT_TTL: i64 = 300;
pub const AJWT_JWKS_DEFAULT_MAX_AGE: i64 = 3600;
pub const AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN: i64 = 30;
pub const AJWT_JWKS_DEFAULT_FETCH_TIMEOUT_MS: u32 = 5000;
pub const AJWT_JWKS_DEFAULT_MAX_BODY_SIZE: usize = 262144;
pub const AJWT_JWKS_DEFAULT_MAX_KEYS: usize = 100;
pub const AJWT_JWKS_DEFAULT_MAX_ENTRIES: usize = 1000;
pub const AJWT_JWKS_MAX_URL_LENGTH: usize = 2048;
pub const AJWT_JWKS_MAX_URLS_PER_USER: usize = 16;

/// What the JWKS cache asks the host to fetch (`enum ajwt_jwks_action`).
pub type ajwt_jwks_action = c_uint;
pub const AJWT_JWKS_NONE: ajwt_jwks_action = 0;
pub const AJWT_JWKS_FETCH_NOW: ajwt_jwks_action = 1;
pub const AJWT_JWKS_REFRESH: ajwt_jwks_action = 2;

/// Who runs a background refresh in ajwt_jwks_cache_keys (`enum ajwt_jwks_refresh_mode`).
pub type ajwt_jwks_refresh_mode = c_uint;
pub const AJWT_JWKS_REFRESH_THREAD: ajwt_jwks_refresh_mode = 0;
pub const AJWT_JWKS_REFRESH_INLINE: ajwt_jwks_refresh_mode = 1;

pub type ajwt_http_get_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        url: *const c_char,
        url_len: usize,
        timeout_ms: u32,
        max_body_size: usize,
        response: *mut ajwt_http_response,
    ) -> ajwt_status,
>;
pub type ajwt_user_jwks_urls_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        username: *const c_char,
        username_len: usize,
        out: *mut ajwt_jwks_url_list,
    ) -> ajwt_status,
>;

/* ---- callbacks --------------------------------------------------------------------- */
pub type ajwt_nonce_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        username: *const c_char,
        username_len: usize,
        time: i64,
        nonce: *const c_char,
        nonce_len: usize,
    ) -> ajwt_status,
>;
pub type ajwt_user_exists_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        username: *const c_char,
        username_len: usize,
    ) -> ajwt_status,
>;
pub type ajwt_user_keys_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        username: *const c_char,
        username_len: usize,
        kid: *const c_char,
        kid_len: usize,
        out: *mut ajwt_keyset,
    ) -> ajwt_status,
>;
pub type ajwt_key_used_callback = Option<
    unsafe extern "C" fn(
        user_data: *mut c_void,
        username: *const c_char,
        username_len: usize,
        key: *const ajwt_key,
    ),
>;

extern "C" {
    /* version, status, memory, time */
    pub fn ajwt_version() -> *const c_char;
    pub fn ajwt_version_number() -> c_uint;
    pub fn ajwt_status_str(status: ajwt_status) -> *const c_char;
    pub fn ajwt_error_message_size() -> usize;
    pub fn ajwt_free(ptr: *mut c_void);
    pub fn ajwt_now() -> i64;

    /* algorithms */
    pub fn ajwt_alg_name(alg: ajwt_alg) -> *const c_char;
    pub fn ajwt_alg_from_name(name: *const c_char, name_len: usize) -> ajwt_alg;

    /* keys */
    pub fn ajwt_key_load_public(
        text: *const c_char,
        text_len: usize,
        format: ajwt_key_format,
        out: *mut *mut ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_key_load_private(
        text: *const c_char,
        text_len: usize,
        password: *const c_char,
        password_len: usize,
        out: *mut *mut ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_key_generate(
        type_: ajwt_key_type,
        rsa_bits: c_uint,
        rsa_exponent: u64,
        out: *mut *mut ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_key_public(
        key: *const ajwt_key,
        out: *mut *mut ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_key_free(key: *mut ajwt_key);
    pub fn ajwt_key_get_type(key: *const ajwt_key) -> ajwt_key_type;
    pub fn ajwt_key_is_private(key: *const ajwt_key) -> c_int;
    pub fn ajwt_key_bits(key: *const ajwt_key) -> c_uint;
    pub fn ajwt_key_comment(key: *const ajwt_key, len: *mut usize) -> *const c_char;
    pub fn ajwt_fingerprint_size() -> usize;
    pub fn ajwt_key_fingerprint(
        key: *const ajwt_key,
        out: *mut c_char,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_key_algorithms(key: *const ajwt_key, out: *mut ajwt_alg, capacity: usize) -> usize;
    pub fn ajwt_key_supports_alg(key: *const ajwt_key, alg: ajwt_alg) -> c_int;
    pub fn ajwt_key_export(
        key: *const ajwt_key,
        format: ajwt_export_format,
        password: *const c_char,
        password_len: usize,
        out: *mut *mut c_char,
        out_len: *mut usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_key_equal(a: *const ajwt_key, b: *const ajwt_key) -> c_int;

    /* key sets */
    pub fn ajwt_keyset_new(out: *mut *mut ajwt_keyset, err: *mut ajwt_error) -> ajwt_status;
    pub fn ajwt_keyset_parse_jwks(
        json: *const c_char,
        json_len: usize,
        out: *mut *mut ajwt_keyset,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_keyset_free(set: *mut ajwt_keyset);
    pub fn ajwt_keyset_add(
        set: *mut ajwt_keyset,
        key: *const ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_keyset_add_text(
        set: *mut ajwt_keyset,
        text: *const c_char,
        text_len: usize,
        format: ajwt_key_format,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_keyset_add_jwks(
        set: *mut ajwt_keyset,
        json: *const c_char,
        json_len: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_keyset_count(set: *const ajwt_keyset) -> usize;
    pub fn ajwt_keyset_get(set: *const ajwt_keyset, index: usize) -> *const ajwt_key;
    pub fn ajwt_keyset_find(
        set: *const ajwt_keyset,
        kid: *const c_char,
        kid_len: usize,
    ) -> *const ajwt_key;
    pub fn ajwt_keyset_skipped_count(set: *const ajwt_keyset) -> usize;
    pub fn ajwt_keyset_skipped_reason(set: *const ajwt_keyset, index: usize) -> *const c_char;
    pub fn ajwt_keyset_to_jwks(
        set: *const ajwt_keyset,
        out: *mut *mut c_char,
        out_len: *mut usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;

    /* signing */
    pub fn ajwt_sign(
        private_key: *const ajwt_key,
        username: *const c_char,
        username_len: usize,
        time: i64,
        nonce: *const c_char,
        nonce_len: usize,
        alg: ajwt_alg,
        token: *mut *mut c_char,
        token_len: *mut usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_auth_header(
        method: *const c_char,
        method_len: usize,
        token: *const c_char,
        token_len: usize,
        out: *mut *mut c_char,
        out_len: *mut usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_nonce_size() -> usize;
    pub fn ajwt_generate_nonce(out: *mut c_char, err: *mut ajwt_error) -> ajwt_status;
    pub fn ajwt_signature_verify(
        public_key: *const ajwt_key,
        alg: ajwt_alg,
        message: *const u8,
        message_len: usize,
        signature: *const u8,
        signature_len: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;

    /* parsed tokens */
    pub fn ajwt_default_max_token_size() -> usize;
    pub fn ajwt_token_parse(
        token: *const c_char,
        token_len: usize,
        max_size: usize,
        out: *mut *mut ajwt_token,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_token_free(token: *mut ajwt_token);
    pub fn ajwt_token_username(token: *const ajwt_token, len: *mut usize) -> *const c_char;
    pub fn ajwt_token_nonce(token: *const ajwt_token, len: *mut usize) -> *const c_char;
    pub fn ajwt_token_time(token: *const ajwt_token) -> i64;
    pub fn ajwt_token_time_exact(token: *const ajwt_token) -> f64;
    pub fn ajwt_token_alg(token: *const ajwt_token) -> ajwt_alg;
    pub fn ajwt_token_kid(token: *const ajwt_token, len: *mut usize) -> *const c_char;

    /* nonce stores */
    pub fn ajwt_default_nonce_ttl() -> i64;
    pub fn ajwt_default_nonce_max_entries() -> usize;
    pub fn ajwt_nonce_store_max_input() -> usize;
    pub fn ajwt_nonce_store_new_memory(
        ttl_seconds: i64,
        max_entries: usize,
        out: *mut *mut ajwt_nonce_store,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_nonce_store_new_memory_with_user_cap(
        ttl_seconds: i64,
        max_entries: usize,
        max_entries_per_user: usize,
        out: *mut *mut ajwt_nonce_store,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_nonce_store_new_callback(
        check_and_record: ajwt_nonce_callback,
        user_data: *mut c_void,
        destroy: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
        out: *mut *mut ajwt_nonce_store,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_nonce_store_free(store: *mut ajwt_nonce_store);
    pub fn ajwt_nonce_store_check_and_record(
        store: *mut ajwt_nonce_store,
        username: *const c_char,
        username_len: usize,
        time: i64,
        nonce: *const c_char,
        nonce_len: usize,
        now: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_nonce_store_size(store: *const ajwt_nonce_store) -> usize;

    /* verifier */
    pub fn ajwt_default_tolerance() -> i64;
    pub fn ajwt_verifier_new(out: *mut *mut ajwt_verifier, err: *mut ajwt_error) -> ajwt_status;
    pub fn ajwt_verifier_free(verifier: *mut ajwt_verifier);
    pub fn ajwt_verifier_set_tolerance(
        verifier: *mut ajwt_verifier,
        seconds: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_default_leeway() -> i64;
    pub fn ajwt_verifier_set_leeway(
        verifier: *mut ajwt_verifier,
        seconds: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_set_compat(
        verifier: *mut ajwt_verifier,
        compat: ajwt_compat,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_set_algorithms(
        verifier: *mut ajwt_verifier,
        algs: *const ajwt_alg,
        count: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_set_max_token_size(
        verifier: *mut ajwt_verifier,
        max_size: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_set_nonce_store(
        verifier: *mut ajwt_verifier,
        store: *mut ajwt_nonce_store,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_parse(
        verifier: *const ajwt_verifier,
        token: *const c_char,
        token_len: usize,
        out: *mut *mut ajwt_token,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verify(
        verifier: *const ajwt_verifier,
        token: *const ajwt_token,
        public_key: *const ajwt_key,
        now: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_body_digest_size() -> usize;
    pub fn ajwt_request_target_normalize(
        target: *const c_char,
        target_len: usize,
        out: *mut *mut c_char,
        out_len: *mut usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_check_request_binding(
        verifier: *const ajwt_verifier,
        token: *const ajwt_token,
        method: *const c_char,
        method_len: usize,
        target: *const c_char,
        target_len: usize,
        body_digest: *const u8,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticate_request(
        auth: *const ajwt_authenticator,
        header: *const c_char,
        header_len: usize,
        now: i64,
        method: *const c_char,
        method_len: usize,
        target: *const c_char,
        target_len: usize,
        body_digest: *const u8,
        token_out: *mut *mut ajwt_token,
        key_out: *mut *mut ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_body_digest(
        body: *const u8,
        body_len: usize,
        out: *mut u8,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_sign_request(
        private_key: *const ajwt_key,
        username: *const c_char,
        username_len: usize,
        time: i64,
        nonce: *const c_char,
        nonce_len: usize,
        alg: ajwt_alg,
        method: *const c_char,
        method_len: usize,
        target: *const c_char,
        target_len: usize,
        body_digest: *const u8,
        audience: *const c_char,
        audience_len: usize,
        token: *mut *mut c_char,
        token_len: *mut usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_set_binding(
        verifier: *mut ajwt_verifier,
        policy: ajwt_binding_policy,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_set_audience(
        verifier: *mut ajwt_verifier,
        audience: *const c_char,
        audience_len: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verify_request(
        verifier: *const ajwt_verifier,
        token: *const ajwt_token,
        public_key: *const ajwt_key,
        now: f64,
        method: *const c_char,
        method_len: usize,
        target: *const c_char,
        target_len: usize,
        body_digest: *const u8,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verify_at(
        verifier: *const ajwt_verifier,
        token: *const ajwt_token,
        public_key: *const ajwt_key,
        now: f64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verify_keyset(
        verifier: *const ajwt_verifier,
        token: *const ajwt_token,
        keys: *const ajwt_keyset,
        now: i64,
        used_key: *mut *const ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;

    /* authenticator */
    pub fn ajwt_authenticator_new(
        verifier: *const ajwt_verifier,
        out: *mut *mut ajwt_authenticator,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticator_free(auth: *mut ajwt_authenticator);
    pub fn ajwt_authenticator_set_method(
        auth: *mut ajwt_authenticator,
        method: *const c_char,
        method_len: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticator_set_user_exists(
        auth: *mut ajwt_authenticator,
        cb: ajwt_user_exists_callback,
        user_data: *mut c_void,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticator_set_user_keys(
        auth: *mut ajwt_authenticator,
        cb: ajwt_user_keys_callback,
        user_data: *mut c_void,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticator_set_user_jwks(
        auth: *mut ajwt_authenticator,
        cb: ajwt_user_keys_callback,
        user_data: *mut c_void,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticator_set_key_used(
        auth: *mut ajwt_authenticator,
        cb: ajwt_key_used_callback,
        user_data: *mut c_void,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticate(
        auth: *const ajwt_authenticator,
        header: *const c_char,
        header_len: usize,
        now: i64,
        token_out: *mut *mut ajwt_token,
        key_out: *mut *mut ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;

    /* two-phase authentication, for async hosts */
    pub fn ajwt_authenticate_begin(
        auth: *const ajwt_authenticator,
        header: *const c_char,
        header_len: usize,
        out: *mut *mut ajwt_pending,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_pending_free(pending: *mut ajwt_pending);
    pub fn ajwt_pending_username(pending: *const ajwt_pending, len: *mut usize) -> *const c_char;
    pub fn ajwt_pending_kid(pending: *const ajwt_pending, len: *mut usize) -> *const c_char;
    pub fn ajwt_pending_verify(
        pending: *mut ajwt_pending,
        keys: *const ajwt_keyset,
        now: i64,
        method: *const c_char,
        method_len: usize,
        target: *const c_char,
        target_len: usize,
        body_digest: *const u8,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_pending_nonce_key(pending: *const ajwt_pending, len: *mut usize) -> *const c_char;
    pub fn ajwt_pending_nonce_ttl(pending: *const ajwt_pending) -> i64;
    pub fn ajwt_pending_finish(
        pending: *mut ajwt_pending,
        outcome: ajwt_nonce_outcome,
        token_out: *mut *mut ajwt_token,
        key_out: *mut *mut ajwt_key,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_nonce_key_size() -> usize;
    pub fn ajwt_nonce_key(
        username: *const c_char,
        username_len: usize,
        time: i64,
        nonce: *const c_char,
        nonce_len: usize,
        out: *mut c_char,
        out_size: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_verifier_nonce_ttl(verifier: *const ajwt_verifier) -> i64;

    /* JWKS cache */
    pub fn ajwt_jwks_cache_new(out: *mut *mut ajwt_jwks_cache, err: *mut ajwt_error)
        -> ajwt_status;
    pub fn ajwt_jwks_cache_free(cache: *mut ajwt_jwks_cache);
    pub fn ajwt_jwks_cache_set_ttl(
        cache: *mut ajwt_jwks_cache,
        seconds: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_max_age(
        cache: *mut ajwt_jwks_cache,
        seconds: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_refresh_cooldown(
        cache: *mut ajwt_jwks_cache,
        seconds: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_fetch_timeout_ms(
        cache: *mut ajwt_jwks_cache,
        timeout_ms: u32,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_max_body_size(
        cache: *mut ajwt_jwks_cache,
        max_bytes: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_max_keys(
        cache: *mut ajwt_jwks_cache,
        max_keys: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_max_entries(
        cache: *mut ajwt_jwks_cache,
        max_entries: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_fetch_timeout_ms(cache: *const ajwt_jwks_cache) -> u32;
    pub fn ajwt_jwks_cache_max_body_size(cache: *const ajwt_jwks_cache) -> usize;
    pub fn ajwt_jwks_cache_size(cache: *const ajwt_jwks_cache) -> usize;
    pub fn ajwt_jwks_cache_lookup(
        cache: *mut ajwt_jwks_cache,
        url: *const c_char,
        url_len: usize,
        kid: *const c_char,
        kid_len: usize,
        now: i64,
        out: *mut ajwt_keyset,
        action: *mut ajwt_jwks_action,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_store(
        cache: *mut ajwt_jwks_cache,
        url: *const c_char,
        url_len: usize,
        http_status: c_int,
        body: *const c_char,
        body_len: usize,
        now: i64,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_http_response_set_status(
        response: *mut ajwt_http_response,
        http_status: c_int,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_http_response_append(
        response: *mut ajwt_http_response,
        data: *const c_char,
        data_len: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_http_get(
        cache: *mut ajwt_jwks_cache,
        get: ajwt_http_get_callback,
        user_data: *mut c_void,
        destroy: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_set_refresh_mode(
        cache: *mut ajwt_jwks_cache,
        mode: ajwt_jwks_refresh_mode,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_keys(
        cache: *mut ajwt_jwks_cache,
        url: *const c_char,
        url_len: usize,
        kid: *const c_char,
        kid_len: usize,
        now: i64,
        out: *mut ajwt_keyset,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_jwks_cache_wait_idle(cache: *mut ajwt_jwks_cache);
    pub fn ajwt_jwks_url_list_add(
        list: *mut ajwt_jwks_url_list,
        url: *const c_char,
        url_len: usize,
        err: *mut ajwt_error,
    ) -> ajwt_status;
    pub fn ajwt_authenticator_set_jwks_cache(
        auth: *mut ajwt_authenticator,
        cache: *mut ajwt_jwks_cache,
        urls: ajwt_user_jwks_urls_callback,
        user_data: *mut c_void,
        err: *mut ajwt_error,
    ) -> ajwt_status;
}
