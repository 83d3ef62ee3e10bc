/*
 * ajwt.h — libajwt, asymmetric-key JWT authentication for server-to-server requests.
 *
 * The only public header of libajwt and its stable C ABI. Go, Rust, Node, Java and
 * Python bindings all sit on it.
 *
 * Conventions
 * -----------
 * - Every fallible function returns an ajwt_status (AJWT_OK == 0) and takes a last
 *   argument `ajwt_error *err` that may be NULL. When not NULL, it always receives the
 *   returned status (AJWT_OK with an empty message on success) and, on failure, a
 *   human-readable message. There is no thread-local "last error".
 * - On failure, output handles and output byte pointers are set to NULL.
 * - Byte inputs are (pointer, length) pairs; nothing assumes NUL termination, and
 *   embedded NUL bytes are data (and rejected where the format forbids them). (NULL, 0) is
 *   the empty input; NULL with a non-zero length is AJWT_ERR_INVALID_ARGUMENT.
 * - Bytes the library allocates for the caller (tokens, PEM, JWK text) are returned
 *   through `char **out, size_t *out_len`, are NUL-terminated for convenience, and are
 *   released with ajwt_free(). Fixed-size outputs go into caller buffers.
 * - Handles are opaque. Every handle type has a _free function; all accept NULL.
 * - There is no hidden clock: verification takes `now` (Unix seconds) from the caller.
 *   ajwt_now() returns the system time for callers that want it.
 * - No C++ exception ever crosses this boundary. Callbacks must not unwind either:
 *   they report failure by returning a status.
 *
 * Thread safety
 * -------------
 * - ajwt_key, ajwt_token: immutable once created; safe to share between threads.
 * - ajwt_keyset: safe to share for reading once filled; adding members is not
 *   synchronised with concurrent readers.
 * - ajwt_verifier, ajwt_authenticator: configure first (setters are not synchronised),
 *   then share freely; verification and authentication are safe to call concurrently.
 * - ajwt_nonce_store: the built-in memory store is safe for concurrent use, and its
 *   check-and-record is atomic. A callback store is as safe as its callback.
 * - ajwt_pending (two-phase authentication): one thread at a time (it may move between
 *   threads between calls); it keeps what it needs of its authenticator.
 * - ajwt_jwks_cache: every call is safe concurrently. Its HTTP callback may also run on the
 *   cache's own refresh thread (see ajwt_jwks_refresh_mode).
 * - Callbacks may be called from any thread that calls into the library.
 */
#ifndef AJWT_H
#define AJWT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- export macro ------------------------------------------------------------------ */
#if defined(AJWT_STATIC)
#  define AJWT_API
#elif defined(_WIN32)
#  ifdef AJWT_BUILDING
#    define AJWT_API __declspec(dllexport)
#  else
#    define AJWT_API __declspec(dllimport)
#  endif
#else
#  define AJWT_API __attribute__((visibility("default")))
#endif

/* ---- version ----------------------------------------------------------------------- */
#define AJWT_VERSION_MAJOR 0
#define AJWT_VERSION_MINOR 1
#define AJWT_VERSION_PATCH 0
#define AJWT_VERSION_NUMBER (AJWT_VERSION_MAJOR * 10000 + AJWT_VERSION_MINOR * 100 + AJWT_VERSION_PATCH)
#define AJWT_VERSION_STRING "0.1.0"

/** Runtime version string of the loaded library, e.g. "0.1.0". */
AJWT_API const char *ajwt_version(void);
/** Runtime twin of AJWT_VERSION_NUMBER. */
AJWT_API unsigned ajwt_version_number(void);

/* ---- status codes (stable: values never change meaning) ---------------------------- */
typedef enum ajwt_status {
    AJWT_OK = 0,

    /* general */
    AJWT_ERR_INVALID_ARGUMENT = 1,   /* NULL where a value is required, bad enum, ... */
    AJWT_ERR_OUT_OF_MEMORY = 2,
    AJWT_ERR_INTERNAL = 3,           /* an OpenSSL or library failure that is not the input's fault */
    AJWT_ERR_CALLBACK_FAILED = 4,    /* a host callback returned a failure status */

    /* keys */
    AJWT_ERR_KEY_PARSE = 10,             /* the text is not a key in any accepted format */
    AJWT_ERR_KEY_UNSUPPORTED = 11,       /* a key, but of a type or curve libajwt does not use */
    AJWT_ERR_KEY_TOO_SMALL = 12,         /* RSA modulus below 2048 bits (RFC 7518 §3.3) */
    AJWT_ERR_KEY_TOO_LARGE = 13,         /* RSA modulus above 8192 bits, or oversized text */
    AJWT_ERR_PASSWORD_REQUIRED = 14,     /* encrypted private key, no password given */
    AJWT_ERR_WRONG_PASSWORD = 15,
    AJWT_ERR_ENCRYPTED_OPENSSH_KEY = 16, /* OPENSSH PRIVATE KEY with a cipher/KDF not read: re-encrypt with ssh-keygen -p -Z aes256-ctr */
    AJWT_ERR_NOT_PRIVATE_KEY = 17,       /* a private key is needed (signing, PKCS#8 export) */
    AJWT_ERR_PRIVATE_KEY_GIVEN = 18,     /* private key material where only a public key is accepted */
    AJWT_ERR_JWKS_PARSE = 19,            /* not a JWK Set, or over its size or member caps */
    AJWT_ERR_JWKS_FETCH = 20,            /* a JWKS URL could not be fetched: transport failure or HTTP status not 200 */

    /* tokens: structure */
    AJWT_ERR_TOKEN_TOO_LARGE = 30,       /* over the maximum token size; nothing was decoded */
    AJWT_ERR_TOKEN_FORMAT = 31,          /* not exactly three non-empty dot-separated parts */
    AJWT_ERR_TOKEN_BASE64 = 32,          /* a part is not strict, unpadded, canonical base64url */
    AJWT_ERR_TOKEN_JSON = 33,            /* header/payload not a JSON object: invalid, bad UTF-8, duplicate member, too deep */
    AJWT_ERR_TOKEN_HEADER = 34,          /* header unusable: alg missing, typ not JWT, crit present, wrong member types */
    AJWT_ERR_TOKEN_CLAIMS = 35,          /* username/nonce missing, empty, not strings, or too long */
    AJWT_ERR_TOKEN_TIME = 36,            /* time missing, not an integer, or out of range */

    /* tokens: verification */
    AJWT_ERR_ALGORITHM_NOT_ALLOWED = 40, /* alg unknown, none, HMAC, not allowed, or not for this key type */
    AJWT_ERR_BAD_SIGNATURE = 41,
    AJWT_ERR_TOKEN_EXPIRED = 42,         /* time < now - tolerance */
    AJWT_ERR_TOKEN_FROM_FUTURE = 43,     /* time > now + tolerance */
    AJWT_ERR_NONCE_REPLAYED = 44,
    AJWT_ERR_NONCE_STORE_FULL = 45,      /* the memory store is at its cap; fails closed */

    /* authenticator */
    AJWT_ERR_NO_AUTH_HEADER = 50,        /* empty header */
    AJWT_ERR_WRONG_AUTH_METHOD = 51,     /* header does not start with the configured method word */
    AJWT_ERR_UNKNOWN_USER = 52,
    AJWT_ERR_NO_MATCHING_KEY = 53,       /* the user has no key usable for this token */

    /* tokens: RFC 7519 registered claims, checked as PyJWT 2.x does (so as asymmetric-jwt-auth
     * 1.x does), after the signature and before the time window; see ajwt_verifier_set_leeway */
    AJWT_ERR_TOKEN_EXP_PASSED = 60,      /* "exp" <= now - leeway */
    AJWT_ERR_TOKEN_NOT_YET_VALID = 61,   /* "nbf" > now + leeway */
    AJWT_ERR_TOKEN_IAT_FUTURE = 62,      /* "iat" > now + leeway */
    AJWT_ERR_TOKEN_AUDIENCE = 63,        /* "aud" present and not empty (no audience is configured) */
    AJWT_ERR_TOKEN_REGISTERED_CLAIM = 64, /* exp/nbf/iat not a number, or sub/jti not a string */

    /* request binding (opt-in, see ajwt_verifier_set_binding): checked after the time window,
     * before the nonce is recorded */
    AJWT_ERR_BINDING_METHOD = 80,        /* ajwt_method differs from the request's method (or is unusable) */
    AJWT_ERR_BINDING_TARGET = 81,        /* ajwt_target differs from the request's path and query */
    AJWT_ERR_BINDING_BODY = 82,          /* ajwt_body differs from the request body's digest, or none was supplied */
    AJWT_ERR_BINDING_AUDIENCE = 83,      /* ajwt_aud differs from the configured audience, or none is configured */
    AJWT_ERR_BINDING_REQUIRED = 84       /* required binding: method, target, body (or audience) not bound */
} ajwt_status;

/** Static English text for a status; never NULL (unknown values give "unknown status"). */
AJWT_API const char *ajwt_status_str(ajwt_status status);

/** Size of ajwt_error.message. */
#define AJWT_ERROR_MESSAGE_SIZE 256
AJWT_API size_t ajwt_error_message_size(void);

/** Caller-owned error detail. Zero-initialise; the library fills it on failure. */
typedef struct ajwt_error {
    ajwt_status status;
    char message[AJWT_ERROR_MESSAGE_SIZE]; /* NUL-terminated, truncated if longer */
} ajwt_error;

/* ---- memory ------------------------------------------------------------------------ */
/** Releases bytes the library allocated for the caller. NULL is fine. */
AJWT_API void ajwt_free(void *ptr);

/* ---- time -------------------------------------------------------------------------- */
/** The system clock in whole Unix seconds. */
AJWT_API int64_t ajwt_now(void);

/* ---- algorithms -------------------------------------------------------------------- */
typedef enum ajwt_alg {
    AJWT_ALG_UNKNOWN = 0,
    AJWT_ALG_RS256 = 1,
    AJWT_ALG_RS384 = 2,
    AJWT_ALG_RS512 = 3,
    AJWT_ALG_PS256 = 4,
    AJWT_ALG_PS384 = 5,
    AJWT_ALG_PS512 = 6,
    AJWT_ALG_ES256 = 7,
    AJWT_ALG_ES384 = 8,
    AJWT_ALG_ES512 = 9,
    AJWT_ALG_EDDSA = 10
} ajwt_alg;

/** JOSE name of an algorithm ("RS256", "EdDSA"); NULL for AJWT_ALG_UNKNOWN or bad values. */
AJWT_API const char *ajwt_alg_name(ajwt_alg alg);
/** Algorithm for a JOSE name (exact, case-sensitive); AJWT_ALG_UNKNOWN for anything else. */
AJWT_API ajwt_alg ajwt_alg_from_name(const char *name, size_t name_len);

/* ---- keys -------------------------------------------------------------------------- */
typedef struct ajwt_key ajwt_key;

typedef enum ajwt_key_type {
    AJWT_KEY_RSA = 1,
    AJWT_KEY_ED25519 = 2,
    AJWT_KEY_ED448 = 3,
    AJWT_KEY_EC_P256 = 4,
    AJWT_KEY_EC_P384 = 5,
    AJWT_KEY_EC_P521 = 6
} ajwt_key_type;

/** Public key text formats. ANY tries PEM SPKI, PEM PKCS#1, OpenSSH, then JWK. */
typedef enum ajwt_key_format {
    AJWT_FORMAT_ANY = 0,
    AJWT_FORMAT_PEM = 1,      /* "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1) */
    AJWT_FORMAT_OPENSSH = 2,  /* one line: "ssh-ed25519 AAAA... comment" */
    AJWT_FORMAT_JWK = 3       /* one JSON Web Key; private members are refused */
} ajwt_key_format;

/** Export formats for ajwt_key_export(). */
typedef enum ajwt_export_format {
    AJWT_EXPORT_PUBLIC_PEM = 1,   /* canonical PEM SubjectPublicKeyInfo (the fingerprinted text) */
    AJWT_EXPORT_PUBLIC_OPENSSH = 2, /* "ssh-... AAAA... comment" one line, no newline */
    AJWT_EXPORT_PUBLIC_JWK = 3,   /* compact JSON, members as in asymmetric-jwt-auth 1.x */
    AJWT_EXPORT_PRIVATE_PKCS8 = 4 /* PEM PKCS#8; encrypted (AES-256-CBC, PBKDF2) when a password is given */
} ajwt_export_format;

/** Public keys parsed here are cached by the SHA-256 of (format, text): loading the same
 *  text again returns the already-parsed key without decoding it. */
AJWT_API ajwt_status ajwt_key_load_public(const char *text, size_t text_len, ajwt_key_format format,
                                          ajwt_key **out, ajwt_error *err);

/** Loads a private key: PKCS#8 PEM (plain or encrypted), traditional PEM ("RSA PRIVATE KEY",
 *  "EC PRIVATE KEY", plain or encrypted) or an "OPENSSH PRIVATE KEY", plain or encrypted with
 *  a passphrase as ssh-keygen does (bcrypt-pbkdf, at most 1000 rounds, else
 *  AJWT_ERR_KEY_UNSUPPORTED; AES-CTR/CBC/GCM or chacha20-poly1305). `password` may be NULL
 *  (then password_len is ignored): an encrypted key then gets AJWT_ERR_PASSWORD_REQUIRED, a
 *  wrong one AJWT_ERR_WRONG_PASSWORD. */
AJWT_API ajwt_status ajwt_key_load_private(const char *text, size_t text_len, const char *password,
                                           size_t password_len, ajwt_key **out, ajwt_error *err);

/** Generates a private key. rsa_bits (2048..8192, 0 = 2048) and rsa_exponent (odd, >= 3,
 *  0 = 65537) are used for AJWT_KEY_RSA only. */
AJWT_API ajwt_status ajwt_key_generate(ajwt_key_type type, unsigned rsa_bits, uint64_t rsa_exponent,
                                       ajwt_key **out, ajwt_error *err);

/** The public half of a key (a new handle; for a public key, another reference to it). */
AJWT_API ajwt_status ajwt_key_public(const ajwt_key *key, ajwt_key **out, ajwt_error *err);

AJWT_API void ajwt_key_free(ajwt_key *key);

AJWT_API ajwt_key_type ajwt_key_get_type(const ajwt_key *key);
/** 1 for a private key, 0 for a public key. */
AJWT_API int ajwt_key_is_private(const ajwt_key *key);
/** Key size in bits (RSA modulus, curve size; 256 for Ed25519, 456 for Ed448). */
AJWT_API unsigned ajwt_key_bits(const ajwt_key *key);

/** Comment of an OpenSSH key (its third field), "" if none. Valid while the key lives. */
AJWT_API const char *ajwt_key_comment(const ajwt_key *key, size_t *len);

/** Fingerprint: lowercase hex SHA-256 of the canonical PEM SPKI text. 64 chars + NUL. */
#define AJWT_FINGERPRINT_SIZE 65
AJWT_API size_t ajwt_fingerprint_size(void);
AJWT_API ajwt_status ajwt_key_fingerprint(const ajwt_key *key, char out[AJWT_FINGERPRINT_SIZE], ajwt_error *err);

/** Default algorithms of a key, most preferred first (RSA: RS512, RS384, RS256; Ed25519 and
 *  Ed448: EdDSA; P-256: ES256; P-384: ES384; P-521: ES512). A key loaded from a JWK that
 *  names an "alg" is bound to that one algorithm (RFC 8725 §3.1). Writes up to `capacity`
 *  entries and returns how many there are. */
AJWT_API size_t ajwt_key_algorithms(const ajwt_key *key, ajwt_alg *out, size_t capacity);

/** 1 when `alg` can be used with this key at all (PS* for RSA included; only its "alg" for
 *  a key loaded from a JWK that names one), else 0. */
AJWT_API int ajwt_key_supports_alg(const ajwt_key *key, ajwt_alg alg);

/** Exports a key. `password` is used for AJWT_EXPORT_PRIVATE_PKCS8 only (NULL = plain). */
AJWT_API ajwt_status ajwt_key_export(const ajwt_key *key, ajwt_export_format format, const char *password,
                                     size_t password_len, char **out, size_t *out_len, ajwt_error *err);

/** 1 when both keys hold the same public key, else 0. */
AJWT_API int ajwt_key_equal(const ajwt_key *a, const ajwt_key *b);

/* ---- key sets (JWKS) --------------------------------------------------------------- */
typedef struct ajwt_keyset ajwt_keyset;

AJWT_API ajwt_status ajwt_keyset_new(ajwt_keyset **out, ajwt_error *err);
/** Parses a JWK Set document ({"keys": [...]}). Members it cannot use (unknown kty, bad
 *  encoding, too small, private members) are skipped and reported, without failing the set. */
AJWT_API ajwt_status ajwt_keyset_parse_jwks(const char *json, size_t json_len, ajwt_keyset **out,
                                            ajwt_error *err);
AJWT_API void ajwt_keyset_free(ajwt_keyset *set);

/** Adds a reference to `key` (must be public). */
AJWT_API ajwt_status ajwt_keyset_add(ajwt_keyset *set, const ajwt_key *key, ajwt_error *err);
/** Parses public key text (as ajwt_key_load_public, cached) and adds it. */
AJWT_API ajwt_status ajwt_keyset_add_text(ajwt_keyset *set, const char *text, size_t text_len,
                                          ajwt_key_format format, ajwt_error *err);
/** Parses a JWK Set document and adds its usable members (skips reported as above). */
AJWT_API ajwt_status ajwt_keyset_add_jwks(ajwt_keyset *set, const char *json, size_t json_len,
                                          ajwt_error *err);

AJWT_API size_t ajwt_keyset_count(const ajwt_keyset *set);
/** Borrowed pointer to member i (valid while the set lives), NULL if out of range. */
AJWT_API const ajwt_key *ajwt_keyset_get(const ajwt_keyset *set, size_t index);
/** Borrowed pointer to the member whose kid (JWK "kid", else fingerprint) matches, or NULL. */
AJWT_API const ajwt_key *ajwt_keyset_find(const ajwt_keyset *set, const char *kid, size_t kid_len);
/** Number of JWKS members skipped so far, and why each was (static-lifetime-of-set text). */
AJWT_API size_t ajwt_keyset_skipped_count(const ajwt_keyset *set);
AJWT_API const char *ajwt_keyset_skipped_reason(const ajwt_keyset *set, size_t index);
/** The set as a JWK Set document. */
AJWT_API ajwt_status ajwt_keyset_to_jwks(const ajwt_keyset *set, char **out, size_t *out_len,
                                         ajwt_error *err);

/* ---- JWKS key source: a cache with its refresh policy; the host does the HTTP GET ---- */
/* Keys published at trusted JWK Set URLs, cached per URL with the policy of the Django
 * package's JWKS repository (docs/jwks.md):
 * - Nothing usable cached for a URL (never fetched, or the last good set is max_age or more
 *   old): FETCH_NOW, before deciding; at most once per refresh_cooldown per URL after a failure.
 * - A set ttl or more old is still served (stale-while-revalidate) and a background REFRESH is
 *   asked for; so is a kid the set lacks. Either at most once per refresh_cooldown per URL (and
 *   never while a fetch of the URL is in flight), counted from the last fetch or attempt.
 * - A failed fetch (transport failure, HTTP status other than 200, body over max_body_size,
 *   not a JWK Set, more than max_keys usable keys) never replaces the cached set: its keys are
 *   served until max_age after they were fetched, then refused until a fetch succeeds.
 * - A JWK Set that parses is the endpoint's answer even if no member is usable (all keys
 *   removed = none trusted).
 * The cache is in-process (per handle); `now` (Unix seconds) always comes from the caller.
 * Thread safety: every ajwt_jwks_cache_* call is safe to make concurrently (one lock per cache;
 * no callback runs under it). */
typedef struct ajwt_jwks_cache ajwt_jwks_cache;

#define AJWT_JWKS_DEFAULT_TTL 300             /* s; Django JWKS_CACHE_TTL */
#define AJWT_JWKS_DEFAULT_MAX_AGE 3600        /* s; Django JWKS_CACHE_MAX_AGE */
#define AJWT_JWKS_DEFAULT_REFRESH_COOLDOWN 30 /* s; Django JWKS_REFRESH_COOLDOWN */
#define AJWT_JWKS_DEFAULT_FETCH_TIMEOUT_MS 5000 /* Django JWKS_FETCH_TIMEOUT (5 s) */
#define AJWT_JWKS_DEFAULT_MAX_BODY_SIZE 262144 /* bytes; also the most the JWKS parser reads */
#define AJWT_JWKS_DEFAULT_MAX_KEYS 100        /* usable keys per set; also the parser's member cap */
#define AJWT_JWKS_DEFAULT_MAX_ENTRIES 1000    /* URLs cached; beyond it the least recently used goes */
#define AJWT_JWKS_MAX_URL_LENGTH 2048         /* bytes; a longer URL is AJWT_ERR_INVALID_ARGUMENT */

/** A cache with the defaults above, no HTTP callback, background refresh on a library thread
 *  (see ajwt_jwks_refresh_mode). */
AJWT_API ajwt_status ajwt_jwks_cache_new(ajwt_jwks_cache **out, ajwt_error *err);
/** Releases this reference; an authenticator holding the cache keeps it alive. The last
 *  reference stops the refresh thread after the fetch it is running, if any, returns. */
AJWT_API void ajwt_jwks_cache_free(ajwt_jwks_cache *cache);
/** Policy setters (ranges: ttl 1..2592000 s, max_age 1..31536000 s, cooldown 1..86400 s,
 *  timeout 1..600000 ms, max_body_size 1..AJWT_JWKS_DEFAULT_MAX_BODY_SIZE, max_keys
 *  1..AJWT_JWKS_DEFAULT_MAX_KEYS, max_entries >= 1; else AJWT_ERR_INVALID_ARGUMENT). They apply
 *  to the next decision; cached sets are kept. */
AJWT_API ajwt_status ajwt_jwks_cache_set_ttl(ajwt_jwks_cache *cache, int64_t seconds, ajwt_error *err);
AJWT_API ajwt_status ajwt_jwks_cache_set_max_age(ajwt_jwks_cache *cache, int64_t seconds, ajwt_error *err);
AJWT_API ajwt_status ajwt_jwks_cache_set_refresh_cooldown(ajwt_jwks_cache *cache, int64_t seconds,
                                                          ajwt_error *err);
/** The one deadline the host gives its GET (DNS, connect, TLS, headers, body). The library
 *  passes it to the HTTP callback; async hosts read it with ajwt_jwks_cache_fetch_timeout_ms. */
AJWT_API ajwt_status ajwt_jwks_cache_set_fetch_timeout_ms(ajwt_jwks_cache *cache, uint32_t timeout_ms,
                                                          ajwt_error *err);
AJWT_API ajwt_status ajwt_jwks_cache_set_max_body_size(ajwt_jwks_cache *cache, size_t max_bytes, ajwt_error *err);
AJWT_API ajwt_status ajwt_jwks_cache_set_max_keys(ajwt_jwks_cache *cache, size_t max_keys, ajwt_error *err);
AJWT_API ajwt_status ajwt_jwks_cache_set_max_entries(ajwt_jwks_cache *cache, size_t max_entries, ajwt_error *err);
AJWT_API uint32_t ajwt_jwks_cache_fetch_timeout_ms(const ajwt_jwks_cache *cache);
AJWT_API size_t ajwt_jwks_cache_max_body_size(const ajwt_jwks_cache *cache);
/** Number of URLs cached (fetched or attempted). */
AJWT_API size_t ajwt_jwks_cache_size(const ajwt_jwks_cache *cache);

/* -- async hosts: the library decides, the host fetches with its own async client -- */
typedef enum ajwt_jwks_action {
    AJWT_JWKS_NONE = 0,      /* nothing to fetch: the keys added (maybe none) are the answer */
    AJWT_JWKS_FETCH_NOW = 1, /* nothing usable cached: fetch, ajwt_jwks_cache_store, then look up once more */
    AJWT_JWKS_REFRESH = 2    /* use the keys added now; fetch in the background, then ajwt_jwks_cache_store */
} ajwt_jwks_action;

/** Adds the usable cached keys of `url` to `out` (only the member whose kid matches when
 *  `kid` is given, every member when kid is NULL; kid NULL never asks for a refresh of its
 *  own) and says what the host must fetch. FETCH_NOW and REFRESH mark the URL in flight: the
 *  host must then call ajwt_jwks_cache_store exactly once for it (a fetch not stored within
 *  the fetch timeout, rounded up to seconds, + 1 s of `now` is forgotten). Concurrent callers
 *  of one URL get FETCH_NOW or REFRESH once; the others get NONE while it is in flight (an
 *  async host awaiting the first fetch of a URL may coalesce them, e.g. one promise per URL). */
AJWT_API ajwt_status ajwt_jwks_cache_lookup(ajwt_jwks_cache *cache, const char *url, size_t url_len,
                                            const char *kid, size_t kid_len, int64_t now, ajwt_keyset *out,
                                            ajwt_jwks_action *action, ajwt_error *err);
/** The host's fetch result for `url`: http_status (0 = transport failure: DNS, connect, TLS,
 *  timeout) and the body bytes (copied; ignored unless http_status is 200). AJWT_OK: a new set
 *  is cached, fetched at `now`. On a failure the cached set stays and the status says why:
 *  AJWT_ERR_JWKS_FETCH (transport, status not 200), AJWT_ERR_JWKS_PARSE (over max_body_size,
 *  not a JWK Set, over max_keys). */
AJWT_API ajwt_status ajwt_jwks_cache_store(ajwt_jwks_cache *cache, const char *url, size_t url_len,
                                           int http_status, const char *body, size_t body_len, int64_t now,
                                           ajwt_error *err);

/* -- sync hosts: the library calls the host's blocking GET -- */
/** Library-owned response the HTTP callback fills; valid only during that callback. */
typedef struct ajwt_http_response ajwt_http_response;
/** The HTTP status line's code (100..599). A callback that returns AJWT_OK must set it. */
AJWT_API ajwt_status ajwt_http_response_set_status(ajwt_http_response *response, int http_status,
                                                   ajwt_error *err);
/** Appends body bytes (copied; call as often as the host reads). Past the cache's
 *  max_body_size it returns AJWT_ERR_JWKS_PARSE, keeps nothing more, and the fetch counts as
 *  failed: the host should stop reading. */
AJWT_API ajwt_status ajwt_http_response_append(ajwt_http_response *response, const char *data, size_t data_len,
                                               ajwt_error *err);
/** Host blocking GET of `url` (NUL-terminated, also given with its length) within timeout_ms,
 *  following no redirect, reading at most max_body_size body bytes. Returns AJWT_OK with the
 *  status and body set in `response`, or any other status for a transport failure.
 *  Called from the thread calling ajwt_jwks_cache_keys / ajwt_authenticate and, in
 *  AJWT_JWKS_REFRESH_THREAD mode, from the cache's refresh thread: it must be safe to call
 *  from several threads at once (never twice at once for one URL). */
typedef ajwt_status (*ajwt_http_get_callback)(void *user_data, const char *url, size_t url_len,
                                              uint32_t timeout_ms, size_t max_body_size,
                                              ajwt_http_response *response);
/** Sets (NULL removes) the GET callback. `destroy` (may be NULL) is called with user_data when
 *  the callback is replaced or the cache goes away (after a GET running then returns), or at
 *  once when get is NULL. */
AJWT_API ajwt_status ajwt_jwks_cache_set_http_get(ajwt_jwks_cache *cache, ajwt_http_get_callback get,
                                                  void *user_data, void (*destroy)(void *user_data),
                                                  ajwt_error *err);
/** Who runs a REFRESH in ajwt_jwks_cache_keys. THREAD (the default): one library thread per
 *  cache (and process: a forked child starts its own), started on first need, fetches queued
 *  URLs one at a time while callers are answered from the cache at once. INLINE: the caller
 *  that gets REFRESH fetches before returning (for hosts whose callback cannot run on a
 *  foreign thread; costs that caller the fetch time). */
typedef enum ajwt_jwks_refresh_mode {
    AJWT_JWKS_REFRESH_THREAD = 0,
    AJWT_JWKS_REFRESH_INLINE = 1
} ajwt_jwks_refresh_mode;
AJWT_API ajwt_status ajwt_jwks_cache_set_refresh_mode(ajwt_jwks_cache *cache, ajwt_jwks_refresh_mode mode,
                                                      ajwt_error *err);
/** Runs the policy for (url, kid) at `now` and adds the usable keys to `out` (as
 *  ajwt_jwks_cache_lookup), calling the GET callback when the policy says so. FETCH_NOW is
 *  single-flight per URL: concurrent callers wait for the one fetch and share its result.
 *  AJWT_OK whenever the policy ran (maybe adding no key); AJWT_ERR_JWKS_FETCH /
 *  AJWT_ERR_JWKS_PARSE when this call fetched now, that fetch failed and nothing usable is
 *  cached; AJWT_ERR_INVALID_ARGUMENT when no GET callback is set. */
AJWT_API ajwt_status ajwt_jwks_cache_keys(ajwt_jwks_cache *cache, const char *url, size_t url_len, const char *kid,
                                          size_t kid_len, int64_t now, ajwt_keyset *out, ajwt_error *err);
/** Blocks until the refresh thread has no queued or running fetch (tests, orderly shutdown). */
AJWT_API void ajwt_jwks_cache_wait_idle(ajwt_jwks_cache *cache);

/* ---- signing ----------------------------------------------------------------------- */
/** Signs a token {username, time, nonce} with header {alg, typ: "JWT", kid: fingerprint}.
 *  alg = AJWT_ALG_UNKNOWN picks the key's preferred algorithm. An empty username is signed
 *  (as asymmetric-jwt-auth 1.x does); every verifier refuses it (AJWT_ERR_TOKEN_CLAIMS). */
AJWT_API ajwt_status ajwt_sign(const ajwt_key *private_key, const char *username, size_t username_len,
                               int64_t time, const char *nonce, size_t nonce_len, ajwt_alg alg,
                               char **token, size_t *token_len, ajwt_error *err);

/* ---- request binding (opt-in) ------------------------------------------------------ */
/* A token may also carry, when its signer asks, claims that bind it to one HTTP request and
 * one service: "ajwt_method" (the method, upper-cased), "ajwt_target" (the request target in
 * canonical form, see ajwt_request_target_normalize), "ajwt_body" (the RFC 9530 Content-Digest
 * value "sha-256=:<base64>:" of the body as sent, content-coding included: the SHA-256 of the
 * empty string for no body) and "ajwt_aud" (the service the token is for; not "aud", which
 * asymmetric-jwt-auth 1.x refuses). 1.x servers ignore these claims. */

#define AJWT_BODY_DIGEST_SIZE 32
AJWT_API size_t ajwt_body_digest_size(void);
/** SHA-256 of the body bytes (what "ajwt_body" carries, and what the verify calls take). */
AJWT_API ajwt_status ajwt_body_digest(const uint8_t *body, size_t body_len, uint8_t out[AJWT_BODY_DIGEST_SIZE],
                                      ajwt_error *err);
/** The canonical request target: origin-form path[?query] (scheme and authority of an
 *  absolute URI dropped, fragment dropped); empty path "/"; empty query dropped; hex digits of
 *  percent-encodings upper-cased; in the path, percent-encoded printable ASCII other than
 *  / ? # % decoded, in the query only unreserved characters (A-Z a-z 0-9 - . _ ~) decoded;
 *  bytes outside printable ASCII, and a '%' that starts no escape, percent-encoded (so normalising
 *  again changes nothing). Dot segments are kept. At most 4096 bytes
 *  in and out; otherwise, or when the target is not a path, AJWT_ERR_INVALID_ARGUMENT. */
AJWT_API ajwt_status ajwt_request_target_normalize(const char *target, size_t target_len, char **out,
                                                   size_t *out_len, ajwt_error *err);

/** As ajwt_sign, and binds the token to a request: each of method, target (NULL = not bound),
 *  body_digest (NULL = not bound; else AJWT_BODY_DIGEST_SIZE bytes from ajwt_body_digest) and
 *  audience (NULL = none) that is given is signed, in canonical form. Method: an HTTP token
 *  of 1..32 characters; audience: 1..1024 bytes without NUL; else AJWT_ERR_INVALID_ARGUMENT. */
AJWT_API ajwt_status ajwt_sign_request(const ajwt_key *private_key, const char *username, size_t username_len,
                                       int64_t time, const char *nonce, size_t nonce_len, ajwt_alg alg,
                                       const char *method, size_t method_len, const char *target,
                                       size_t target_len, const uint8_t *body_digest, const char *audience,
                                       size_t audience_len, char **token, size_t *token_len, ajwt_error *err);

/** A fresh random nonce as upstream makes it: 8 random bytes, base64url (11 characters + NUL). */
#define AJWT_NONCE_RANDOM_BYTES 8
#define AJWT_NONCE_SIZE 12
AJWT_API size_t ajwt_nonce_size(void);
AJWT_API ajwt_status ajwt_generate_nonce(char out[AJWT_NONCE_SIZE], ajwt_error *err);

/** "<method> <token>", method NULL = "JWT". */
AJWT_API ajwt_status ajwt_auth_header(const char *method, size_t method_len, const char *token,
                                      size_t token_len, char **out, size_t *out_len, ajwt_error *err);

/** Raw signature check, the same primitive tokens use (ECDSA signatures in JWS r||s form,
 *  PSS with MGF1 and salt length = hash length). AJWT_OK or AJWT_ERR_BAD_SIGNATURE. */
AJWT_API ajwt_status ajwt_signature_verify(const ajwt_key *public_key, ajwt_alg alg, const uint8_t *message,
                                           size_t message_len, const uint8_t *signature,
                                           size_t signature_len, ajwt_error *err);

/* ---- parsed, not yet trusted tokens ------------------------------------------------ */
typedef struct ajwt_token ajwt_token;

#define AJWT_DEFAULT_MAX_TOKEN_SIZE 8192
AJWT_API size_t ajwt_default_max_token_size(void);

/** Parses a compact token once: header, claims and signature. Checks structure and claim
 *  types (strict policy, AJWT_COMPAT_STRICT); does not check the signature, the registered
 *  claims or the time. max_size 0 = the default. */
AJWT_API ajwt_status ajwt_token_parse(const char *token, size_t token_len, size_t max_size, ajwt_token **out,
                                      ajwt_error *err);
AJWT_API void ajwt_token_free(ajwt_token *token);

/** Claim and header accessors; strings are valid while the token lives and NUL-terminated. */
AJWT_API const char *ajwt_token_username(const ajwt_token *token, size_t *len);
AJWT_API const char *ajwt_token_nonce(const ajwt_token *token, size_t *len);
/** The time claim in whole seconds: under AJWT_COMPAT_1X a fractional time gives its floor
 *  (the value nonce stores are keyed by). */
AJWT_API int64_t ajwt_token_time(const ajwt_token *token);
/** The time claim as sent, fraction included (equal to ajwt_token_time() for whole seconds). */
AJWT_API double ajwt_token_time_exact(const ajwt_token *token);
AJWT_API ajwt_alg ajwt_token_alg(const ajwt_token *token);
/** The header kid, or NULL when the header has none. */
AJWT_API const char *ajwt_token_kid(const ajwt_token *token, size_t *len);

/* ---- nonce stores ------------------------------------------------------------------ */
typedef struct ajwt_nonce_store ajwt_nonce_store;

/** Host check-and-record: must atomically record (username, time, nonce) and return AJWT_OK
 *  if it was new, AJWT_ERR_NONCE_REPLAYED if it was already recorded, anything else on
 *  failure (which rejects the token). */
typedef ajwt_status (*ajwt_nonce_callback)(void *user_data, const char *username, size_t username_len,
                                           int64_t time, const char *nonce, size_t nonce_len);

/** Defaults of the built-in memory store: entries live 41 s (2 x the default tolerance + 1, as
 *  ajwt_verifier_nonce_ttl: a token stays acceptable through 41 whole seconds, time - 20 to
 *  time + 20), at most 1,000,000 live entries. */
#define AJWT_DEFAULT_NONCE_TTL 41
#define AJWT_DEFAULT_NONCE_MAX_ENTRIES 1000000
AJWT_API int64_t ajwt_default_nonce_ttl(void);
AJWT_API size_t ajwt_default_nonce_max_entries(void);
/** Longest username or nonce (bytes) the memory store takes, the same as the token parser's
 *  cap on claim strings; a longer one is refused with AJWT_ERR_TOKEN_CLAIMS. */
#define AJWT_NONCE_STORE_MAX_INPUT 1024
AJWT_API size_t ajwt_nonce_store_max_input(void);

/** Built-in in-memory store: thread-safe, atomic; an entry lives ttl_seconds after it is
 *  recorded (0 = AJWT_DEFAULT_NONCE_TTL, negative = AJWT_ERR_INVALID_ARGUMENT); at most
 *  max_entries live entries (0 = AJWT_DEFAULT_NONCE_MAX_ENTRIES), beyond which new nonces are
 *  refused with AJWT_ERR_NONCE_STORE_FULL (fail closed: a live entry is never evicted).
 *  Memory: each entry is a keyed 128-bit digest of (username, time, nonce) under a random
 *  per-store key, whatever the lengths of username and nonce: about 80 bytes per live entry
 *  on glibc x86-64 (76 at 1,000,000 entries, 83 at 200,000; tests/core/test_nonce_store.cpp,
 *  MemoryNonceStore.MemoryPerEntry prints it), so a full store at the default cap takes
 *  about 75 MiB. */
AJWT_API ajwt_status ajwt_nonce_store_new_memory(int64_t ttl_seconds, size_t max_entries, ajwt_nonce_store **out,
                                                 ajwt_error *err);
/** As ajwt_nonce_store_new_memory, and one user may hold at most max_entries_per_user live
 *  entries (0 = no cap of its own, as ajwt_nonce_store_new_memory; above max_entries =
 *  AJWT_ERR_INVALID_ARGUMENT): beyond it that user's new nonces are refused with
 *  AJWT_ERR_NONCE_STORE_FULL while other users' still pass, so one client (or one stolen key)
 *  cannot fill the store for everyone. Users are told apart by a keyed digest of the username;
 *  counting them adds about 45 bytes per user that holds live entries (MemoryPerEntry). */
AJWT_API ajwt_status ajwt_nonce_store_new_memory_with_user_cap(int64_t ttl_seconds, size_t max_entries,
                                                               size_t max_entries_per_user,
                                                               ajwt_nonce_store **out, ajwt_error *err);
/** Store backed by a host callback. `destroy` (may be NULL) is called with user_data when
 *  the last reference to the store goes away. */
AJWT_API ajwt_status ajwt_nonce_store_new_callback(ajwt_nonce_callback check_and_record, void *user_data,
                                                   void (*destroy)(void *user_data), ajwt_nonce_store **out,
                                                   ajwt_error *err);
/** Releases this reference; verifiers holding the store keep it alive. */
AJWT_API void ajwt_nonce_store_free(ajwt_nonce_store *store);
AJWT_API ajwt_status ajwt_nonce_store_check_and_record(ajwt_nonce_store *store, const char *username,
                                                       size_t username_len, int64_t time, const char *nonce,
                                                       size_t nonce_len, int64_t now, ajwt_error *err);
/** Live entries in a memory store (0 for a callback store). */
AJWT_API size_t ajwt_nonce_store_size(const ajwt_nonce_store *store);

/** The key under which a host's own nonce store (e.g. Redis: SET key 1 NX EX ttl) records a
 *  used nonce, the same in every binding and in the Django package, so services sharing one
 *  store refuse each other's replays: "ajwt-nonce-" followed by 64 lowercase hex digits of
 *  SHA-256 over (8-byte big-endian length, bytes) of the username, the decimal time (e.g.
 *  "1700000000", "-5") and the nonce. AJWT_NONCE_KEY_SIZE characters, written NUL-terminated
 *  into `out` (out_size >= AJWT_NONCE_KEY_SIZE + 1, else AJWT_ERR_INVALID_ARGUMENT).
 *  Vectors: tests/vectors/nonce-keys.json. */
#define AJWT_NONCE_KEY_SIZE 75
AJWT_API size_t ajwt_nonce_key_size(void);
AJWT_API ajwt_status ajwt_nonce_key(const char *username, size_t username_len, int64_t time, const char *nonce,
                                    size_t nonce_len, char *out, size_t out_size, ajwt_error *err);

/* ---- verifier (policy) ------------------------------------------------------------- */
typedef struct ajwt_verifier ajwt_verifier;

#define AJWT_DEFAULT_TOLERANCE 20
AJWT_API int64_t ajwt_default_tolerance(void);

/** Token policy. STRICT (the default) takes only what this library signs: typ absent or "JWT",
 *  a whole-second integer time, a string nonce. COMPAT_1X also takes what asymmetric-jwt-auth
 *  1.x (PyJWT) accepts: any typ (PyJWT ignores it); a string kid it cannot use (empty,
 *  over 1024 bytes, holding NUL), read as no kid; a fractional time, compared exactly with
 *  the window and keyed in nonce stores by its floor (ajwt_token_time); a non-zero integer
 *  nonce, as its decimal text ("42"); and, in exp/nbf/iat, true/false as 1/0 as Python's int()
 *  does. Both refuse: an empty or non-string username, a bool/float/zero nonce, a string, bool
 *  or non-finite time (1.x refuses those or fails with an exception). */
typedef enum ajwt_compat {
    AJWT_COMPAT_STRICT = 0,
    AJWT_COMPAT_1X = 1
} ajwt_compat;

#define AJWT_DEFAULT_LEEWAY 0
AJWT_API int64_t ajwt_default_leeway(void);

/** A verifier with defaults: tolerance 20 s, registered-claim leeway 0 s, AJWT_COMPAT_STRICT,
 *  every key's default algorithms (no PS*), max token size AJWT_DEFAULT_MAX_TOKEN_SIZE, no
 *  nonce store. */
AJWT_API ajwt_status ajwt_verifier_new(ajwt_verifier **out, ajwt_error *err);
AJWT_API void ajwt_verifier_free(ajwt_verifier *verifier);
/** |time - now| <= tolerance passes. 0..86400. */
AJWT_API ajwt_status ajwt_verifier_set_tolerance(ajwt_verifier *verifier, int64_t seconds, ajwt_error *err);
/** Registered claims exp, nbf, iat (PyJWT 2.x's rules, fractions truncated): refused when
 *  exp <= now - leeway (AJWT_ERR_TOKEN_EXP_PASSED), nbf > now + leeway
 *  (AJWT_ERR_TOKEN_NOT_YET_VALID), iat > now + leeway (AJWT_ERR_TOKEN_IAT_FUTURE). 0..86400;
 *  default 0, as asymmetric-jwt-auth 1.x (which passes PyJWT no leeway). */
AJWT_API ajwt_status ajwt_verifier_set_leeway(ajwt_verifier *verifier, int64_t seconds, ajwt_error *err);
/** AJWT_COMPAT_STRICT or AJWT_COMPAT_1X (applies to ajwt_verifier_parse and what the
 *  authenticators made from this verifier parse). */
AJWT_API ajwt_status ajwt_verifier_set_compat(ajwt_verifier *verifier, ajwt_compat compat, ajwt_error *err);
/** Replaces the accepted algorithm list (non-empty; e.g. add PS256). A token is accepted
 *  only when its alg is in this list and usable with the verifying key's type. */
AJWT_API ajwt_status ajwt_verifier_set_algorithms(ajwt_verifier *verifier, const ajwt_alg *algs, size_t count,
                                                  ajwt_error *err);
/** 64..1,048,576 bytes. */
AJWT_API ajwt_status ajwt_verifier_set_max_token_size(ajwt_verifier *verifier, size_t max_size, ajwt_error *err);
/** The verifier takes its own reference to `store` (NULL removes the store). */
AJWT_API ajwt_status ajwt_verifier_set_nonce_store(ajwt_verifier *verifier, ajwt_nonce_store *store,
                                                   ajwt_error *err);
/** Seconds a host's own store must keep a recorded nonce for this verifier: 2 * tolerance + 1
 *  (a token's time is accepted during that many whole seconds). 0 when verifier is NULL. */
AJWT_API int64_t ajwt_verifier_nonce_ttl(const ajwt_verifier *verifier);

/** What a verifier does with the request-binding claims. OFF (the default): ignores them, as
 *  asymmetric-jwt-auth 1.x does. WHEN_PRESENT: each one the token carries must match the
 *  request (ajwt_verify_request, ajwt_authenticate_request) or the configured audience.
 *  REQUIRED: as WHEN_PRESENT, and a token must bind the method, target and body (and name an
 *  audience when one is configured), else AJWT_ERR_BINDING_REQUIRED. The calls without request
 *  details (ajwt_verify, ajwt_authenticate) know nothing of the request: a token bound to it is
 *  then refused (unless OFF). */
typedef enum ajwt_binding_policy {
    AJWT_BINDING_OFF = 0,
    AJWT_BINDING_WHEN_PRESENT = 1,
    AJWT_BINDING_REQUIRED = 2
} ajwt_binding_policy;
AJWT_API ajwt_status ajwt_verifier_set_binding(ajwt_verifier *verifier, ajwt_binding_policy policy,
                                               ajwt_error *err);
/** The audience this service answers to, compared exactly with "ajwt_aud" (NULL = none: a
 *  token naming an audience is then refused unless the policy is OFF). 1..1024 bytes. */
AJWT_API ajwt_status ajwt_verifier_set_audience(ajwt_verifier *verifier, const char *audience, size_t audience_len,
                                                ajwt_error *err);

/** Parses with the verifier's size cap and token policy. */
AJWT_API ajwt_status ajwt_verifier_parse(const ajwt_verifier *verifier, const char *token, size_t token_len,
                                         ajwt_token **out, ajwt_error *err);
/** Signature with `public_key` (which may also be a private key), then the registered claims
 *  (iat, nbf, exp, aud, sub, jti, in PyJWT's order), then time window, then nonce
 *  check-and-record when the verifier has a store. */
AJWT_API ajwt_status ajwt_verify(const ajwt_verifier *verifier, const ajwt_token *token, const ajwt_key *public_key,
                                 int64_t now, ajwt_error *err);
/** As ajwt_verify, with `now` a fractional host clock (Unix seconds, e.g. Python's time.time()):
 *  the time window compares it exactly with the token's (possibly fractional) time, and the
 *  registered claims as PyJWT compares them with its fractional clock. The nonce store gets
 *  floor(now). AJWT_ERR_INVALID_ARGUMENT unless finite and within ±9e18. */
AJWT_API ajwt_status ajwt_verify_at(const ajwt_verifier *verifier, const ajwt_token *token,
                                    const ajwt_key *public_key, double now, ajwt_error *err);
/** As ajwt_verify_at, and the request-binding step (after the time window, before the nonce)
 *  compares the token's bound claims with this request: method (NULL = unknown), target as
 *  received (NULL = unknown; normalised here), body_digest (AJWT_BODY_DIGEST_SIZE bytes of
 *  SHA-256 over the body as received, NULL = unknown). A claim bound to something unknown is
 *  refused. */
AJWT_API ajwt_status ajwt_verify_request(const ajwt_verifier *verifier, const ajwt_token *token,
                                         const ajwt_key *public_key, double now, const char *method,
                                         size_t method_len, const char *target, size_t target_len,
                                         const uint8_t *body_digest, ajwt_error *err);
/** The request-binding step alone, for hosts that verify the signature themselves or in
 *  several steps (the Python package): no signature, time or nonce check. */
AJWT_API ajwt_status ajwt_check_request_binding(const ajwt_verifier *verifier, const ajwt_token *token,
                                                const char *method, size_t method_len, const char *target,
                                                size_t target_len, const uint8_t *body_digest, ajwt_error *err);

/** As ajwt_verify with the set: the member matching the kid first, then the others.
 *  `used_key` (may be NULL) receives a borrowed pointer to the member that verified. */
AJWT_API ajwt_status ajwt_verify_keyset(const ajwt_verifier *verifier, const ajwt_token *token,
                                        const ajwt_keyset *keys, int64_t now, const ajwt_key **used_key,
                                        ajwt_error *err);

/* ---- authenticator (whole server-side flow) ---------------------------------------- */
typedef struct ajwt_authenticator ajwt_authenticator;

/** Does the user exist? AJWT_OK yes, AJWT_ERR_UNKNOWN_USER no, anything else = failure. */
typedef ajwt_status (*ajwt_user_exists_callback)(void *user_data, const char *username, size_t username_len);
/** Adds the user's public keys to `out` (ajwt_keyset_add / _add_text / _add_jwks). `kid`
 *  (NULL when the token has none) is a hint; adding all keys is always correct. */
typedef ajwt_status (*ajwt_user_keys_callback)(void *user_data, const char *username, size_t username_len,
                                               const char *kid, size_t kid_len, ajwt_keyset *out);
/** Told which key verified a request (e.g. to update "last used"). */
typedef void (*ajwt_key_used_callback)(void *user_data, const char *username, size_t username_len,
                                       const ajwt_key *key);

/** Copies the verifier's policy and takes a reference to its nonce store. */
AJWT_API ajwt_status ajwt_authenticator_new(const ajwt_verifier *verifier, ajwt_authenticator **out,
                                            ajwt_error *err);
AJWT_API void ajwt_authenticator_free(ajwt_authenticator *auth);
/** Method word before the token; compared case-insensitively. Default "JWT". */
AJWT_API ajwt_status ajwt_authenticator_set_method(ajwt_authenticator *auth, const char *method,
                                                   size_t method_len, ajwt_error *err);
/** Optional: without it every claimed user is taken to exist. */
AJWT_API ajwt_status ajwt_authenticator_set_user_exists(ajwt_authenticator *auth, ajwt_user_exists_callback cb,
                                                        void *user_data, ajwt_error *err);
/** Required: the user's registered keys. */
AJWT_API ajwt_status ajwt_authenticator_set_user_keys(ajwt_authenticator *auth, ajwt_user_keys_callback cb,
                                                      void *user_data, ajwt_error *err);
/** Optional second source, asked only when the first gave no key matching the token's kid:
 *  keys from the user's trusted JWKS endpoints (the host fetches; ajwt_keyset_add_jwks). */
AJWT_API ajwt_status ajwt_authenticator_set_user_jwks(ajwt_authenticator *auth, ajwt_user_keys_callback cb,
                                                      void *user_data, ajwt_error *err);
/** Receives the JWKS URLs a user trusts (ajwt_jwks_url_list_add), for
 *  ajwt_authenticator_set_jwks_cache. Valid only during the callback. */
typedef struct ajwt_jwks_url_list ajwt_jwks_url_list;
#define AJWT_JWKS_MAX_URLS_PER_USER 16
/** Adds one URL (at most AJWT_JWKS_MAX_URL_LENGTH bytes, at most AJWT_JWKS_MAX_URLS_PER_USER
 *  per user; else AJWT_ERR_INVALID_ARGUMENT). */
AJWT_API ajwt_status ajwt_jwks_url_list_add(ajwt_jwks_url_list *list, const char *url, size_t url_len,
                                            ajwt_error *err);
/** Adds the JWKS URLs `username` trusts to `out` (none is fine). AJWT_OK, or a failure status
 *  (then authentication fails with AJWT_ERR_CALLBACK_FAILED). */
typedef ajwt_status (*ajwt_user_jwks_urls_callback)(void *user_data, const char *username, size_t username_len,
                                                    ajwt_jwks_url_list *out);
/** Sync hosts, no glue: keys from the user's trusted JWKS URLs through `cache`
 *  (ajwt_jwks_cache_keys with the `now` given to ajwt_authenticate; the cache needs its HTTP
 *  callback). Asked, like ajwt_authenticator_set_user_jwks, only for a token with a kid that
 *  the registered keys (and that callback, if set) lack. A URL whose fetch fails adds no key
 *  (the token then gets AJWT_ERR_NO_MATCHING_KEY). The authenticator takes a reference to
 *  the cache; cache NULL removes it. Async hosts use ajwt_jwks_cache_lookup/_store with the
 *  two-phase authentication instead. */
AJWT_API ajwt_status ajwt_authenticator_set_jwks_cache(ajwt_authenticator *auth, ajwt_jwks_cache *cache,
                                                       ajwt_user_jwks_urls_callback urls, void *user_data,
                                                       ajwt_error *err);
AJWT_API ajwt_status ajwt_authenticator_set_key_used(ajwt_authenticator *auth, ajwt_key_used_callback cb,
                                                     void *user_data, ajwt_error *err);

/** Runs parse → method word → claimed username → user exists → signature (kid first, then
 *  the user's other keys) → registered claims → time window → nonce check-and-record → key used.
 *  An unknown user costs what a bad signature costs: the token's signature is checked against
 *  a decoy key of its algorithm (generated once per process and algorithm, RSA sized by the
 *  signature: 2048/3072/4096 bits; the first such request per algorithm pays the generation),
 *  then AJWT_ERR_UNKNOWN_USER is returned.
 *  On AJWT_OK, `token_out` (may be NULL) receives the verified token (username via
 *  ajwt_token_username) and `key_out` (may be NULL) a new reference to the key that
 *  verified; free both. */
AJWT_API ajwt_status ajwt_authenticate(const ajwt_authenticator *auth, const char *header, size_t header_len,
                                       int64_t now, ajwt_token **token_out, ajwt_key **key_out, ajwt_error *err);
/** As ajwt_authenticate, with the request's method, target and body digest for the verifier's
 *  binding policy (as ajwt_verify_request; each NULL = unknown). */
AJWT_API ajwt_status ajwt_authenticate_request(const ajwt_authenticator *auth, const char *header,
                                               size_t header_len, int64_t now, const char *method,
                                               size_t method_len, const char *target, size_t target_len,
                                               const uint8_t *body_digest, ajwt_token **token_out,
                                               ajwt_key **key_out, ajwt_error *err);

/* ---- two-phase authentication (asynchronous hosts) ----------------------------------
 * The steps of ajwt_authenticate_request with the host's lookups in between, so a host can do
 * them with its own asynchronous clients (a Promise in Node, an async database or Redis client
 * in Rust): ajwt_authenticate_begin parses and names the user; the host looks up the user's
 * keys; ajwt_pending_verify checks the signature, claims, time and request binding; the host
 * records the nonce under ajwt_pending_nonce_key for ajwt_pending_nonce_ttl seconds (atomically:
 * "set if absent"); ajwt_pending_finish turns its outcome into the final status. Same order of
 * checks, statuses and equal-time decoy as ajwt_authenticate; no callback of the authenticator
 * is called (the host tells "key used" itself from key_out). A pending authentication keeps what
 * it needs of the authenticator (which may be freed first) and is used by one thread at a time;
 * calls out of order (verify twice, finish before a successful verify, ...) give
 * AJWT_ERR_INVALID_ARGUMENT. */
typedef struct ajwt_pending ajwt_pending;

/** Phase 1: method word → token parse (the verifier's size cap and policy). On AJWT_OK, *out
 *  is a pending authentication to free with ajwt_pending_free; on failure *out is NULL and the
 *  status is what ajwt_authenticate gives for this header. */
AJWT_API ajwt_status ajwt_authenticate_begin(const ajwt_authenticator *auth, const char *header, size_t header_len,
                                             ajwt_pending **out, ajwt_error *err);
AJWT_API void ajwt_pending_free(ajwt_pending *pending);
/** The claimed username (not yet verified): the user whose keys the host looks up. Borrowed,
 *  NUL-terminated, valid until ajwt_pending_free; NULL (and *len 0) when pending is NULL. */
AJWT_API const char *ajwt_pending_username(const ajwt_pending *pending, size_t *len);
/** The token's kid (a hint for the lookup), or NULL when it has none. Borrowed as above. */
AJWT_API const char *ajwt_pending_kid(const ajwt_pending *pending, size_t *len);
/** Phase 2, once: `keys` are the user's keys the host looked up (registered keys and, when none
 *  has the token's kid, the user's JWKS keys), or NULL when the user does not exist: the token
 *  is then checked against a decoy key for equal time and AJWT_ERR_UNKNOWN_USER is returned.
 *  Then signature (kid first) → registered claims → time window → request binding (method,
 *  target, body_digest as ajwt_authenticate_request; each NULL = unknown). Touches no nonce
 *  store. */
AJWT_API ajwt_status ajwt_pending_verify(ajwt_pending *pending, const ajwt_keyset *keys, int64_t now,
                                         const char *method, size_t method_len, const char *target,
                                         size_t target_len, const uint8_t *body_digest, ajwt_error *err);
/** After AJWT_OK from ajwt_pending_verify (else NULL, *len 0): the key under which the host
 *  records the nonce, ajwt_nonce_key() of the token's username, time and nonce. Borrowed. */
AJWT_API const char *ajwt_pending_nonce_key(const ajwt_pending *pending, size_t *len);
/** After AJWT_OK from ajwt_pending_verify (else 0): how long the host keeps the record
 *  (ajwt_verifier_nonce_ttl of the authenticator's verifier). */
AJWT_API int64_t ajwt_pending_nonce_ttl(const ajwt_pending *pending);

/** What the host's nonce store said. */
typedef enum ajwt_nonce_outcome {
    AJWT_NONCE_RECORDED = 0,          /* the host recorded it; it was new */
    AJWT_NONCE_ALREADY_RECORDED = 1,  /* the host found it recorded: a replay */
    AJWT_NONCE_STORE_FAILED = 2,      /* the host's store failed: fail closed */
    AJWT_NONCE_USE_VERIFIER_STORE = 3 /* the host has none: the verifier's store (if any) checks and records now */
} ajwt_nonce_outcome;

/** Phase 3, once, after AJWT_OK from ajwt_pending_verify: AJWT_OK, AJWT_ERR_NONCE_REPLAYED
 *  (ALREADY_RECORDED, or the verifier's store saw it), AJWT_ERR_CALLBACK_FAILED (STORE_FAILED),
 *  or the verifier's store's failure (e.g. AJWT_ERR_NONCE_STORE_FULL). On AJWT_OK `token_out`
 *  and `key_out` (each may be NULL) receive new references, as ajwt_authenticate; free both. */
AJWT_API ajwt_status ajwt_pending_finish(ajwt_pending *pending, ajwt_nonce_outcome outcome, ajwt_token **token_out,
                                         ajwt_key **key_out, ajwt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* AJWT_H */
