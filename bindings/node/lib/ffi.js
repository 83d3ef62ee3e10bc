// The C ABI as koffi sees it: the library's loading, its types and every function declaration.
import koffi from 'koffi';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// AJWT_LIBRARY if set; else the library this package carries for the platform (prebuilds/, made
// by scripts/build-native-bundle.sh when the package is packed); else libajwt.so.0 from the system.
const bundledPath = fileURLToPath(new URL(`../prebuilds/${process.platform}-${process.arch}/libajwt.so.0`, import.meta.url));
export const libraryPath = process.env.AJWT_LIBRARY || (existsSync(bundledPath) ? bundledPath : 'libajwt.so.0');
const lib = loadLibrary(libraryPath);

function loadLibrary(path) {
  try {
    return koffi.load(path);
  } catch (e) {
    throw new Error(`ajwt: cannot load libajwt from '${path}' (this package carries it for linux-x64 only;`
      + ' elsewhere set AJWT_LIBRARY to the path of libajwt.so.0, or install it where the system loader finds it)',
      { cause: e });
  }
}

// ---- types ----------------------------------------------------------------------------------
const ERROR_MESSAGE_SIZE = 256;
export const FINGERPRINT_SIZE = 65;
export const BODY_DIGEST_SIZE = 32;
export const NONCE_KEY_SIZE = 75;
export const ajwt_error = koffi.struct('ajwt_error', {
  status: 'int',
  message: koffi.array('char', ERROR_MESSAGE_SIZE),
});
koffi.opaque('ajwt_key');
koffi.opaque('ajwt_keyset');
koffi.opaque('ajwt_token');
koffi.opaque('ajwt_nonce_store');
koffi.opaque('ajwt_verifier');
koffi.opaque('ajwt_authenticator');
koffi.opaque('ajwt_pending');
koffi.opaque('ajwt_jwks_cache');

// Strings given with a length may not be NUL-terminated, so callbacks receive raw pointers
// (void *) and decode exactly `len` bytes.
export const NonceCallback = koffi.proto(
  'int ajwt_nonce_callback(intptr_t user_data, void *username, size_t username_len, int64_t time, void *nonce, size_t nonce_len)');
export const DestroyCallback = koffi.proto('void ajwt_destroy_callback(intptr_t user_data)');
export const UserExistsCallback = koffi.proto(
  'int ajwt_user_exists_callback(intptr_t user_data, void *username, size_t username_len)');
export const UserKeysCallback = koffi.proto(
  'int ajwt_user_keys_callback(intptr_t user_data, void *username, size_t username_len, void *kid, size_t kid_len, ajwt_keyset *out)');
export const KeyUsedCallback = koffi.proto(
  'void ajwt_key_used_callback(intptr_t user_data, void *username, size_t username_len, const ajwt_key *key)');

// Text inputs are (pointer, length) pairs: passed as Buffers so that embedded NULs are data.
// Outputs (ajwt_error *, T **out, size_t *len) are declared as plain pointers, not `_Out_`: the
// binding passes caller-owned memory (see "call frames"), because koffi's `_Out_` marshalling
// builds a JS object per call (for ajwt_error, a 256-char string), microseconds per call.
export const C = {
  version: lib.func('const char *ajwt_version(void)'),
  version_number: lib.func('unsigned int ajwt_version_number(void)'),
  status_str: lib.func('const char *ajwt_status_str(int status)'),
  free: lib.func('void ajwt_free(void *ptr)'),
  now: lib.func('int64_t ajwt_now(void)'),
  alg_name: lib.func('const char *ajwt_alg_name(int alg)'),
  alg_from_name: lib.func('int ajwt_alg_from_name(const char *name, size_t name_len)'),

  key_load_public: lib.func('int ajwt_key_load_public(const char *text, size_t text_len, int format, ajwt_key **out, ajwt_error *err)'),
  key_load_private: lib.func('int ajwt_key_load_private(const char *text, size_t text_len, const char *password, size_t password_len, ajwt_key **out, ajwt_error *err)'),
  key_generate: lib.func('int ajwt_key_generate(int type, unsigned int rsa_bits, uint64_t rsa_exponent, ajwt_key **out, ajwt_error *err)'),
  key_public: lib.func('int ajwt_key_public(const ajwt_key *key, ajwt_key **out, ajwt_error *err)'),
  key_free: lib.func('void ajwt_key_free(ajwt_key *key)'),
  key_get_type: lib.func('int ajwt_key_get_type(const ajwt_key *key)'),
  key_is_private: lib.func('int ajwt_key_is_private(const ajwt_key *key)'),
  key_bits: lib.func('unsigned int ajwt_key_bits(const ajwt_key *key)'),
  key_comment: lib.func('void *ajwt_key_comment(const ajwt_key *key, size_t *len)'),
  key_fingerprint: lib.func('int ajwt_key_fingerprint(const ajwt_key *key, uint8_t *out, ajwt_error *err)'),
  key_algorithms: lib.func('size_t ajwt_key_algorithms(const ajwt_key *key, int *out, size_t capacity)'),
  key_supports_alg: lib.func('int ajwt_key_supports_alg(const ajwt_key *key, int alg)'),
  key_export: lib.func('int ajwt_key_export(const ajwt_key *key, int format, const char *password, size_t password_len, void **out, size_t *out_len, ajwt_error *err)'),
  key_equal: lib.func('int ajwt_key_equal(const ajwt_key *a, const ajwt_key *b)'),

  keyset_new: lib.func('int ajwt_keyset_new(ajwt_keyset **out, ajwt_error *err)'),
  keyset_parse_jwks: lib.func('int ajwt_keyset_parse_jwks(const char *json, size_t json_len, ajwt_keyset **out, ajwt_error *err)'),
  keyset_free: lib.func('void ajwt_keyset_free(ajwt_keyset *set)'),
  keyset_add: lib.func('int ajwt_keyset_add(ajwt_keyset *set, const ajwt_key *key, ajwt_error *err)'),
  keyset_add_text: lib.func('int ajwt_keyset_add_text(ajwt_keyset *set, const char *text, size_t text_len, int format, ajwt_error *err)'),
  keyset_add_jwks: lib.func('int ajwt_keyset_add_jwks(ajwt_keyset *set, const char *json, size_t json_len, ajwt_error *err)'),
  keyset_count: lib.func('size_t ajwt_keyset_count(const ajwt_keyset *set)'),
  keyset_get: lib.func('const ajwt_key *ajwt_keyset_get(const ajwt_keyset *set, size_t index)'),
  keyset_find: lib.func('const ajwt_key *ajwt_keyset_find(const ajwt_keyset *set, const char *kid, size_t kid_len)'),
  keyset_skipped_count: lib.func('size_t ajwt_keyset_skipped_count(const ajwt_keyset *set)'),
  keyset_skipped_reason: lib.func('const char *ajwt_keyset_skipped_reason(const ajwt_keyset *set, size_t index)'),
  keyset_to_jwks: lib.func('int ajwt_keyset_to_jwks(const ajwt_keyset *set, void **out, size_t *out_len, ajwt_error *err)'),

  sign: lib.func('int ajwt_sign(const ajwt_key *private_key, const char *username, size_t username_len, int64_t time, const char *nonce, size_t nonce_len, int alg, void **token, size_t *token_len, ajwt_error *err)'),
  auth_header: lib.func('int ajwt_auth_header(const char *method, size_t method_len, const char *token, size_t token_len, void **out, size_t *out_len, ajwt_error *err)'),

  token_parse: lib.func('int ajwt_token_parse(const char *token, size_t token_len, size_t max_size, ajwt_token **out, ajwt_error *err)'),
  token_free: lib.func('void ajwt_token_free(ajwt_token *token)'),
  // String claims are returned as `const char *`: koffi decodes the NUL-terminated UTF-8 text
  // itself, the cheapest way to read them, and the length (len may be NULL) is not needed
  // because the library refuses NUL bytes in username, nonce and kid (see readClaims).
  token_username: lib.func('const char *ajwt_token_username(const ajwt_token *token, size_t *len)'),
  token_nonce: lib.func('const char *ajwt_token_nonce(const ajwt_token *token, size_t *len)'),
  token_time: lib.func('int64_t ajwt_token_time(const ajwt_token *token)'),
  token_time_exact: lib.func('double ajwt_token_time_exact(const ajwt_token *token)'),
  token_alg: lib.func('int ajwt_token_alg(const ajwt_token *token)'),
  token_kid: lib.func('const char *ajwt_token_kid(const ajwt_token *token, size_t *len)'),

  nonce_store_new_memory_with_user_cap: lib.func('int ajwt_nonce_store_new_memory_with_user_cap(int64_t ttl_seconds, size_t max_entries, size_t max_entries_per_user, ajwt_nonce_store **out, ajwt_error *err)'),
  nonce_store_new_callback: lib.func('int ajwt_nonce_store_new_callback(ajwt_nonce_callback *cb, intptr_t user_data, ajwt_destroy_callback *destroy, ajwt_nonce_store **out, ajwt_error *err)'),
  nonce_store_free: lib.func('void ajwt_nonce_store_free(ajwt_nonce_store *store)'),
  nonce_store_check_and_record: lib.func('int ajwt_nonce_store_check_and_record(ajwt_nonce_store *store, const char *username, size_t username_len, int64_t time, const char *nonce, size_t nonce_len, int64_t now, ajwt_error *err)'),
  nonce_store_size: lib.func('size_t ajwt_nonce_store_size(const ajwt_nonce_store *store)'),

  verifier_new: lib.func('int ajwt_verifier_new(ajwt_verifier **out, ajwt_error *err)'),
  verifier_free: lib.func('void ajwt_verifier_free(ajwt_verifier *verifier)'),
  verifier_set_tolerance: lib.func('int ajwt_verifier_set_tolerance(ajwt_verifier *verifier, int64_t seconds, ajwt_error *err)'),
  verifier_set_leeway: lib.func('int ajwt_verifier_set_leeway(ajwt_verifier *verifier, int64_t seconds, ajwt_error *err)'),
  verifier_set_compat: lib.func('int ajwt_verifier_set_compat(ajwt_verifier *verifier, int compat, ajwt_error *err)'),
  verifier_set_algorithms: lib.func('int ajwt_verifier_set_algorithms(ajwt_verifier *verifier, int *algs, size_t count, ajwt_error *err)'),
  verifier_set_max_token_size: lib.func('int ajwt_verifier_set_max_token_size(ajwt_verifier *verifier, size_t max_size, ajwt_error *err)'),
  verifier_set_nonce_store: lib.func('int ajwt_verifier_set_nonce_store(ajwt_verifier *verifier, ajwt_nonce_store *store, ajwt_error *err)'),
  verifier_parse: lib.func('int ajwt_verifier_parse(const ajwt_verifier *verifier, const char *token, size_t token_len, ajwt_token **out, ajwt_error *err)'),
  verify: lib.func('int ajwt_verify(const ajwt_verifier *verifier, const ajwt_token *token, const ajwt_key *public_key, int64_t now, ajwt_error *err)'),
  verify_keyset: lib.func('int ajwt_verify_keyset(const ajwt_verifier *verifier, const ajwt_token *token, const ajwt_keyset *keys, int64_t now, ajwt_key **used_key, ajwt_error *err)'),
  // Request binding (docs/request-binding.md).
  sign_request: lib.func('int ajwt_sign_request(const ajwt_key *private_key, const char *username, size_t username_len, int64_t time, const char *nonce, size_t nonce_len, int alg, const char *method, size_t method_len, const char *target, size_t target_len, const uint8_t *body_digest, const char *audience, size_t audience_len, void **token, size_t *token_len, ajwt_error *err)'),
  body_digest: lib.func('int ajwt_body_digest(const uint8_t *body, size_t body_len, uint8_t *out, ajwt_error *err)'),
  verifier_set_binding: lib.func('int ajwt_verifier_set_binding(ajwt_verifier *verifier, int policy, ajwt_error *err)'),
  verifier_set_audience: lib.func('int ajwt_verifier_set_audience(ajwt_verifier *verifier, const char *audience, size_t audience_len, ajwt_error *err)'),
  verify_request: lib.func('int ajwt_verify_request(const ajwt_verifier *verifier, const ajwt_token *token, const ajwt_key *public_key, double now, const char *method, size_t method_len, const char *target, size_t target_len, const uint8_t *body_digest, ajwt_error *err)'),

  // JWKS cache, async-host pair (README "JWKS URLs"): the library decides, the host fetches.
  jwks_cache_new: lib.func('int ajwt_jwks_cache_new(ajwt_jwks_cache **out, ajwt_error *err)'),
  jwks_cache_free: lib.func('void ajwt_jwks_cache_free(ajwt_jwks_cache *cache)'),
  jwks_cache_set_ttl: lib.func('int ajwt_jwks_cache_set_ttl(ajwt_jwks_cache *cache, int64_t seconds, ajwt_error *err)'),
  jwks_cache_set_max_age: lib.func('int ajwt_jwks_cache_set_max_age(ajwt_jwks_cache *cache, int64_t seconds, ajwt_error *err)'),
  jwks_cache_set_refresh_cooldown: lib.func('int ajwt_jwks_cache_set_refresh_cooldown(ajwt_jwks_cache *cache, int64_t seconds, ajwt_error *err)'),
  jwks_cache_set_fetch_timeout_ms: lib.func('int ajwt_jwks_cache_set_fetch_timeout_ms(ajwt_jwks_cache *cache, uint32_t timeout_ms, ajwt_error *err)'),
  jwks_cache_set_max_body_size: lib.func('int ajwt_jwks_cache_set_max_body_size(ajwt_jwks_cache *cache, size_t max_bytes, ajwt_error *err)'),
  jwks_cache_set_max_keys: lib.func('int ajwt_jwks_cache_set_max_keys(ajwt_jwks_cache *cache, size_t max_keys, ajwt_error *err)'),
  jwks_cache_set_max_entries: lib.func('int ajwt_jwks_cache_set_max_entries(ajwt_jwks_cache *cache, size_t max_entries, ajwt_error *err)'),
  jwks_cache_fetch_timeout_ms: lib.func('uint32_t ajwt_jwks_cache_fetch_timeout_ms(const ajwt_jwks_cache *cache)'),
  jwks_cache_max_body_size: lib.func('size_t ajwt_jwks_cache_max_body_size(const ajwt_jwks_cache *cache)'),
  jwks_cache_size: lib.func('size_t ajwt_jwks_cache_size(const ajwt_jwks_cache *cache)'),
  jwks_cache_lookup: lib.func('int ajwt_jwks_cache_lookup(ajwt_jwks_cache *cache, const char *url, size_t url_len, const char *kid, size_t kid_len, int64_t now, ajwt_keyset *out, int *action, ajwt_error *err)'),
  jwks_cache_store: lib.func('int ajwt_jwks_cache_store(ajwt_jwks_cache *cache, const char *url, size_t url_len, int http_status, const char *body, size_t body_len, int64_t now, ajwt_error *err)'),

  authenticator_new: lib.func('int ajwt_authenticator_new(const ajwt_verifier *verifier, ajwt_authenticator **out, ajwt_error *err)'),
  authenticator_free: lib.func('void ajwt_authenticator_free(ajwt_authenticator *auth)'),
  authenticator_set_method: lib.func('int ajwt_authenticator_set_method(ajwt_authenticator *auth, const char *method, size_t method_len, ajwt_error *err)'),
  authenticator_set_user_exists: lib.func('int ajwt_authenticator_set_user_exists(ajwt_authenticator *auth, ajwt_user_exists_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticator_set_user_keys: lib.func('int ajwt_authenticator_set_user_keys(ajwt_authenticator *auth, ajwt_user_keys_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticator_set_user_jwks: lib.func('int ajwt_authenticator_set_user_jwks(ajwt_authenticator *auth, ajwt_user_keys_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticator_set_key_used: lib.func('int ajwt_authenticator_set_key_used(ajwt_authenticator *auth, ajwt_key_used_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticate: lib.func('int ajwt_authenticate(const ajwt_authenticator *auth, const char *header, size_t header_len, int64_t now, ajwt_token **token_out, ajwt_key **key_out, ajwt_error *err)'),
  // Two-phase authentication for async hosts (README "Async authentication").
  authenticate_begin: lib.func('int ajwt_authenticate_begin(const ajwt_authenticator *auth, const char *header, size_t header_len, ajwt_pending **out, ajwt_error *err)'),
  pending_free: lib.func('void ajwt_pending_free(ajwt_pending *p)'),
  pending_username: lib.func('const char *ajwt_pending_username(const ajwt_pending *p, size_t *len)'),
  pending_kid: lib.func('const char *ajwt_pending_kid(const ajwt_pending *p, size_t *len)'),
  pending_verify: lib.func('int ajwt_pending_verify(ajwt_pending *p, const ajwt_keyset *keys, int64_t now, const char *method, size_t method_len, const char *target, size_t target_len, const uint8_t *body_digest, ajwt_error *err)'),
  pending_nonce_key: lib.func('const char *ajwt_pending_nonce_key(const ajwt_pending *p, size_t *len)'),
  pending_nonce_ttl: lib.func('int64_t ajwt_pending_nonce_ttl(const ajwt_pending *p)'),
  pending_finish: lib.func('int ajwt_pending_finish(ajwt_pending *p, int outcome, ajwt_token **token_out, ajwt_key **key_out, ajwt_error *err)'),
  nonce_key: lib.func('int ajwt_nonce_key(const char *username, size_t username_len, int64_t time, const char *nonce, size_t nonce_len, uint8_t *out, size_t out_size, ajwt_error *err)'),
  verifier_nonce_ttl: lib.func('int64_t ajwt_verifier_nonce_ttl(const ajwt_verifier *verifier)'),
  authenticate_request: lib.func('int ajwt_authenticate_request(const ajwt_authenticator *auth, const char *header, size_t header_len, int64_t now, const char *method, size_t method_len, const char *target, size_t target_len, const uint8_t *body_digest, ajwt_token **token_out, ajwt_key **key_out, ajwt_error *err)'),
};
