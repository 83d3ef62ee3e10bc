// ajwt — Node binding of libajwt (asymmetric-key JWT authentication), a thin layer over the
// C ABI in capi/include/ajwt.h loaded with koffi. All protocol logic lives in the library;
// this file only converts types, owns handles and turns statuses into exceptions.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';

// ---- loading --------------------------------------------------------------------------------
// AJWT_LIBRARY if set; else the library this package carries for the platform (prebuilds/, made
// by scripts/build-native-bundle.sh when the package is packed); else libajwt.so.0 from the system.

const bundledPath = fileURLToPath(new URL(`./prebuilds/${process.platform}-${process.arch}/libajwt.so.0`, import.meta.url));
const libraryPath = process.env.AJWT_LIBRARY || (existsSync(bundledPath) ? bundledPath : 'libajwt.so.0');
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
const FINGERPRINT_SIZE = 65;
const ajwt_error = koffi.struct('ajwt_error', {
  status: 'int',
  message: koffi.array('char', ERROR_MESSAGE_SIZE),
});
koffi.opaque('ajwt_key');
koffi.opaque('ajwt_keyset');
koffi.opaque('ajwt_token');
koffi.opaque('ajwt_nonce_store');
koffi.opaque('ajwt_verifier');
koffi.opaque('ajwt_authenticator');

// Strings given with a length may not be NUL-terminated, so callbacks receive raw pointers
// (void *) and decode exactly `len` bytes.
const NonceCallback = koffi.proto(
  'int ajwt_nonce_callback(intptr_t user_data, void *username, size_t username_len, int64_t time, void *nonce, size_t nonce_len)');
const DestroyCallback = koffi.proto('void ajwt_destroy_callback(intptr_t user_data)');
const UserExistsCallback = koffi.proto(
  'int ajwt_user_exists_callback(intptr_t user_data, void *username, size_t username_len)');
const UserKeysCallback = koffi.proto(
  'int ajwt_user_keys_callback(intptr_t user_data, void *username, size_t username_len, void *kid, size_t kid_len, ajwt_keyset *out)');
const KeyUsedCallback = koffi.proto(
  'void ajwt_key_used_callback(intptr_t user_data, void *username, size_t username_len, const ajwt_key *key)');

// Text inputs are (pointer, length) pairs: passed as Buffers so that embedded NULs are data.
// Outputs (ajwt_error *, T **out, size_t *len) are declared as plain pointers, not `_Out_`: the
// binding passes caller-owned memory (see "call frames"), because koffi's `_Out_` marshalling
// builds a JS object per call (for ajwt_error, a 256-char string), microseconds per call.
const C = {
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

  authenticator_new: lib.func('int ajwt_authenticator_new(const ajwt_verifier *verifier, ajwt_authenticator **out, ajwt_error *err)'),
  authenticator_free: lib.func('void ajwt_authenticator_free(ajwt_authenticator *auth)'),
  authenticator_set_method: lib.func('int ajwt_authenticator_set_method(ajwt_authenticator *auth, const char *method, size_t method_len, ajwt_error *err)'),
  authenticator_set_user_exists: lib.func('int ajwt_authenticator_set_user_exists(ajwt_authenticator *auth, ajwt_user_exists_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticator_set_user_keys: lib.func('int ajwt_authenticator_set_user_keys(ajwt_authenticator *auth, ajwt_user_keys_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticator_set_user_jwks: lib.func('int ajwt_authenticator_set_user_jwks(ajwt_authenticator *auth, ajwt_user_keys_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticator_set_key_used: lib.func('int ajwt_authenticator_set_key_used(ajwt_authenticator *auth, ajwt_key_used_callback *cb, intptr_t user_data, ajwt_error *err)'),
  authenticate: lib.func('int ajwt_authenticate(const ajwt_authenticator *auth, const char *header, size_t header_len, int64_t now, ajwt_token **token_out, ajwt_key **key_out, ajwt_error *err)'),
};

// ---- statuses and errors ---------------------------------------------------------------------
/** Status numbers by name, exactly as in ajwt.h. */
export const Status = Object.freeze({
  AJWT_OK: 0,
  AJWT_ERR_INVALID_ARGUMENT: 1,
  AJWT_ERR_OUT_OF_MEMORY: 2,
  AJWT_ERR_INTERNAL: 3,
  AJWT_ERR_CALLBACK_FAILED: 4,
  AJWT_ERR_KEY_PARSE: 10,
  AJWT_ERR_KEY_UNSUPPORTED: 11,
  AJWT_ERR_KEY_TOO_SMALL: 12,
  AJWT_ERR_KEY_TOO_LARGE: 13,
  AJWT_ERR_PASSWORD_REQUIRED: 14,
  AJWT_ERR_WRONG_PASSWORD: 15,
  AJWT_ERR_ENCRYPTED_OPENSSH_KEY: 16,
  AJWT_ERR_NOT_PRIVATE_KEY: 17,
  AJWT_ERR_PRIVATE_KEY_GIVEN: 18,
  AJWT_ERR_JWKS_PARSE: 19,
  AJWT_ERR_TOKEN_TOO_LARGE: 30,
  AJWT_ERR_TOKEN_FORMAT: 31,
  AJWT_ERR_TOKEN_BASE64: 32,
  AJWT_ERR_TOKEN_JSON: 33,
  AJWT_ERR_TOKEN_HEADER: 34,
  AJWT_ERR_TOKEN_CLAIMS: 35,
  AJWT_ERR_TOKEN_TIME: 36,
  AJWT_ERR_ALGORITHM_NOT_ALLOWED: 40,
  AJWT_ERR_BAD_SIGNATURE: 41,
  AJWT_ERR_TOKEN_EXPIRED: 42,
  AJWT_ERR_TOKEN_FROM_FUTURE: 43,
  AJWT_ERR_NONCE_REPLAYED: 44,
  AJWT_ERR_NONCE_STORE_FULL: 45,
  AJWT_ERR_NO_AUTH_HEADER: 50,
  AJWT_ERR_WRONG_AUTH_METHOD: 51,
  AJWT_ERR_UNKNOWN_USER: 52,
  AJWT_ERR_NO_MATCHING_KEY: 53,
  AJWT_ERR_TOKEN_EXP_PASSED: 60,
  AJWT_ERR_TOKEN_NOT_YET_VALID: 61,
  AJWT_ERR_TOKEN_IAT_FUTURE: 62,
  AJWT_ERR_TOKEN_AUDIENCE: 63,
  AJWT_ERR_TOKEN_REGISTERED_CLAIM: 64,
  AJWT_ERR_BINDING_METHOD: 80,
  AJWT_ERR_BINDING_TARGET: 81,
  AJWT_ERR_BINDING_BODY: 82,
  AJWT_ERR_BINDING_AUDIENCE: 83,
  AJWT_ERR_BINDING_REQUIRED: 84,
});

/** Token policies (ajwt_compat): 'strict' (default) or '1.x' (what asymmetric-jwt-auth 1.x accepts). */
const Compat = Object.freeze({ strict: 0, '1.x': 1 });
const statusNames = new Map(Object.entries(Status).map(([name, value]) => [value, name]));

/** A failure status of libajwt: `code` is the status name, `status` its number. */
export class AjwtError extends Error {
  constructor(status, message, options) {
    super(message || C.status_str(status), options);
    this.name = 'AjwtError';
    this.status = status;
    this.code = statusNames.get(status) ?? `AJWT_STATUS_${status}`;
  }
}

// The error of a JS callback that failed during the current library call. Calls are
// synchronous on one thread, so one slot suffices; it becomes the AjwtError's `cause`.
let callbackError;

// ---- call frames -------------------------------------------------------------------------------
// Caller-owned memory for the outputs of one library call: its ajwt_error, two out-pointers
// (T **out; ajwt_authenticate has two) and an out-length. They are allocated once and reused,
// and the error message is decoded only on failure. JS is single-threaded, but a JS callback
// may call into the library while an outer call is still running, so each nesting depth has a
// frame of its own.
const ERROR_SIZE = koffi.sizeof(ajwt_error);
const MESSAGE_OFFSET = koffi.offsetof(ajwt_error, 'message');

class Frame {
  err = Buffer.alloc(ERROR_SIZE);
  ptr = new BigUint64Array(1); // an address as a BigInt: koffi takes it for any pointer argument
  ptr2 = new BigUint64Array(1);
  len = new BigUint64Array(1);
}

const frames = [];
let depth = 0;

// A clean frame for the call about to run at the current depth.
function frameForCall() {
  const frame = frames[depth] ?? (frames[depth] = new Frame());
  frame.err[MESSAGE_OFFSET] = 0; // no stale message if a failure ever left it unset
  frame.ptr[0] = 0n;
  frame.ptr2[0] = 0n;
  frame.len[0] = 0n;
  return frame;
}

function errorMessage(err) {
  const end = err.indexOf(0, MESSAGE_OFFSET);
  return err.toString('utf8', MESSAGE_OFFSET, end < 0 ? err.length : end);
}

function check(status, err) {
  if (status === 0) {
    return;
  }
  const cause = callbackError;
  callbackError = undefined;
  throw new AjwtError(status, errorMessage(err) || C.status_str(status),
    cause === undefined ? undefined : { cause });
}

// Runs a library call that may call back into JS: `fn` receives a frame and passes its
// members as the call's outputs. Returns the frame; read its outputs at once, before the next
// library call reuses it.
function call(fn) {
  const frame = frameForCall();
  callbackError = undefined;
  depth++;
  let status;
  try {
    status = fn(frame);
  } finally {
    depth--;
  }
  check(status, frame.err);
  callbackError = undefined;
  return frame;
}

// A call whose output is one new handle (T **out): its address.
function callForHandle(fn) {
  return call(fn).ptr[0];
}

// The length out-slot of accessors (size_t *len, no ajwt_error), which never call back into
// JS, so one slot is enough for all of them.
const accessorLength = new BigUint64Array(1);

// koffi passes an empty Buffer as NULL, which the library rightly calls an invalid argument;
// an empty view of a real allocation keeps (non-NULL, 0) so that '' gets its proper status.
const EMPTY = Buffer.alloc(1).subarray(0, 0);

function bytes(value, what) {
  let buf;
  if (typeof value === 'string') {
    buf = Buffer.from(value, 'utf8');
  } else if (value instanceof Uint8Array) {
    buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  } else {
    throw new TypeError(`${what} must be a string or a Uint8Array`);
  }
  return buf.length === 0 ? EMPTY : buf;
}

// Token text for a parse is encoded into one reused buffer, passed whole with the text's
// length, rather than into a new Buffer (or even a subarray) per call. Safe because a parse
// never calls back into JS, so nothing can reuse the buffer while the library reads it; every
// other call keeps using bytes(). 3 bytes per UTF-16 unit is UTF-8's worst case.
const tokenScratch = Buffer.alloc(16384);

// Runs `parse(buf, len, frame)` on the token text; returns the new token's address.
function parseText(token, parse) {
  if (typeof token === 'string' && token.length * 3 <= tokenScratch.length) {
    const len = tokenScratch.write(token, 'utf8');
    return callForHandle((f) => parse(tokenScratch, len, f));
  }
  const buf = bytes(token, 'token');
  return callForHandle((f) => parse(buf, buf.length, f));
}

// True when `text`, decoded by koffi up to the first NUL, is exactly the `len` bytes it came
// from: nothing cut off by an embedded NUL, no byte replaced as invalid UTF-8 (which could
// also make the lengths agree by chance).
function isWholeText(text, len) {
  return Buffer.byteLength(text, 'utf8') === len && !text.includes('\uFFFD');
}

// `len` bytes at `ptr` as UTF-8. koffi's own decoding of char text is several times faster
// than copying the bytes out into a Buffer, but stops at a NUL; the bytes are data, so text it
// did not take whole is decoded again exactly.
function decodeText(ptr, len) {
  const n = Number(len);
  if (!ptr || n === 0) {
    return '';
  }
  const text = koffi.decode(ptr, 'char', n);
  return isWholeText(text, n) ? text : Buffer.from(koffi.decode(ptr, 'uint8_t', n)).toString('utf8');
}

// Library-allocated output (char **out, size_t *out_len): read it, then ajwt_free it.
function takeString(fn) {
  const frame = call((f) => fn(f.ptr, f.len, f.err));
  const ptr = koffi.decode(frame.ptr, 'void *'); // koffi.decode reads through pointer objects only
  const len = frame.len[0];
  try {
    return decodeText(ptr, len);
  } finally {
    C.free(ptr);
  }
}

function toInt64(value, what) {
  if (typeof value === 'bigint') {
    return value;
  }
  if (!Number.isSafeInteger(value)) {
    throw new TypeError(`${what} must be an integer number of seconds`);
  }
  return value;
}

// ---- handles ---------------------------------------------------------------------------------
const disposeSymbol = Symbol.dispose ?? Symbol.for('nodejs.dispose');

// Safety net for handles nobody freed: the held value is the release function.
const finalizer = new FinalizationRegistry((release) => release());

// The held value of the FinalizationRegistry must not reach the handle object.
function releaser(release, ptr) {
  return () => release(ptr);
}

/** Base of every wrapper of a library handle: explicit free(), `using`, and GC as a fallback. */
class Handle {
  #ptr;
  #release;

  constructor(ptr, release) {
    if (!ptr) {
      throw new AjwtError(Status.AJWT_ERR_INTERNAL, 'the library returned no handle');
    }
    this.#ptr = ptr;
    this.#release = releaser(release, ptr);
    finalizer.register(this, this.#release, this);
  }

  /** The raw handle; throws after free(). */
  get handle() {
    if (!this.#ptr) {
      throw new AjwtError(Status.AJWT_ERR_INVALID_ARGUMENT, `${this.constructor.name} was freed`);
    }
    return this.#ptr;
  }

  get freed() {
    return !this.#ptr;
  }

  /** Releases the handle now; later calls are no-ops. */
  free() {
    if (!this.#ptr) {
      return;
    }
    finalizer.unregister(this);
    this.#ptr = null;
    this.#release();
  }

  [disposeSymbol]() {
    this.free();
  }
}

// ---- algorithms, key types, formats -----------------------------------------------------------
function algFromName(name) {
  if (name === undefined || name === null) {
    return 0;
  }
  const buf = bytes(name, 'alg');
  const alg = C.alg_from_name(buf, buf.length);
  if (alg === 0) {
    throw new AjwtError(Status.AJWT_ERR_INVALID_ARGUMENT, `unknown algorithm '${name}'`);
  }
  return alg;
}

// Names are static in the library, so each is asked for once (a call saved per token).
const algNames = new Map();

function algName(alg) {
  let name = algNames.get(alg);
  if (name === undefined) {
    name = C.alg_name(alg) ?? null;
    algNames.set(alg, name);
  }
  return name;
}

const keyTypes = { rsa: 1, ed25519: 2, ed448: 3, p256: 4, p384: 5, p521: 6 };
const keyTypeNames = Object.fromEntries(Object.entries(keyTypes).map(([k, v]) => [v, k]));
const publicFormats = { any: 0, pem: 1, openssh: 2, jwk: 3 };
const exportFormats = { pem: 1, openssh: 2, jwk: 3, pkcs8: 4 };

function lookup(table, name, what) {
  const value = table[name];
  if (value === undefined) {
    throw new AjwtError(Status.AJWT_ERR_INVALID_ARGUMENT,
      `${what}: '${name}' is not one of ${Object.keys(table).join(', ')}`);
  }
  return value;
}

// ---- keys --------------------------------------------------------------------------------------
/** A public or private key (immutable; safe to share). */
export class Key extends Handle {
  constructor(ptr) {
    super(ptr, C.key_free);
  }

  /** Parses a public key: PEM SPKI / PKCS#1, OpenSSH or JWK (`format` 'any' tries all). */
  static loadPublic(text, { format = 'any' } = {}) {
    const buf = bytes(text, 'key text');
    const fmt = lookup(publicFormats, format, 'format');
    return new Key(callForHandle((f) => C.key_load_public(buf, buf.length, fmt, f.ptr, f.err)));
  }

  /** Parses a private key (PKCS#8, traditional PEM, OpenSSH as ssh-keygen writes it), optionally encrypted. */
  static loadPrivate(text, { password } = {}) {
    const buf = bytes(text, 'key text');
    const pw = password === undefined || password === null ? null : bytes(password, 'password');
    return new Key(callForHandle((f) => C.key_load_private(buf, buf.length, pw, pw ? pw.length : 0, f.ptr, f.err)));
  }

  /** Generates a private key: 'rsa', 'ed25519' (default), 'ed448', 'p256', 'p384', 'p521'. */
  static generate(type = 'ed25519', { bits = 0, exponent = 0 } = {}) {
    return new Key(callForHandle((f) => C.key_generate(lookup(keyTypes, type, 'type'), bits, exponent, f.ptr, f.err)));
  }

  /** A new handle on the public half. */
  publicKey() {
    return new Key(callForHandle((f) => C.key_public(this.handle, f.ptr, f.err)));
  }

  get type() {
    return keyTypeNames[C.key_get_type(this.handle)];
  }

  get isPrivate() {
    return C.key_is_private(this.handle) === 1;
  }

  get bits() {
    return C.key_bits(this.handle);
  }

  /** Comment of an OpenSSH key, '' if none. */
  get comment() {
    const ptr = C.key_comment(this.handle, accessorLength);
    return decodeText(ptr, accessorLength[0]);
  }

  /** Lowercase hex SHA-256 of the canonical PEM SPKI text (the token `kid`). */
  get fingerprint() {
    const buf = Buffer.alloc(FINGERPRINT_SIZE);
    call((f) => C.key_fingerprint(this.handle, buf, f.err));
    return buf.toString('latin1', 0, FINGERPRINT_SIZE - 1);
  }

  /** The key's default algorithms, most preferred first, e.g. ['RS512', 'RS384', 'RS256']. */
  get algorithms() {
    const out = new Int32Array(16);
    const n = C.key_algorithms(this.handle, out, out.length);
    return Array.from(out.subarray(0, Math.min(n, out.length)), algName);
  }

  supportsAlgorithm(alg) {
    return C.key_supports_alg(this.handle, algFromName(alg)) === 1;
  }

  /** Exports as 'pem' (public SPKI), 'openssh', 'jwk' (JSON text) or 'pkcs8' (private). */
  export(format = 'pem', { password } = {}) {
    const pw = password === undefined || password === null ? null : bytes(password, 'password');
    const fmt = lookup(exportFormats, format, 'format');
    return takeString((out, outLen, err) =>
      C.key_export(this.handle, fmt, pw, pw ? pw.length : 0, out, outLen, err));
  }

  toPEM() {
    return this.export('pem');
  }

  toOpenSSH() {
    return this.export('openssh');
  }

  /** The public JWK as an object (members as in asymmetric-jwt-auth 1.x). */
  toJWK() {
    return JSON.parse(this.export('jwk'));
  }

  toPKCS8({ password } = {}) {
    return this.export('pkcs8', { password });
  }

  /** True when both hold the same public key. */
  equals(other) {
    return other instanceof Key && C.key_equal(this.handle, other.handle) === 1;
  }

  /** Signs a token for `username`; see sign(). */
  sign(username, options) {
    return sign(this, username, options);
  }
}

// A borrowed key pointer (valid only while its owner lives) becomes an owned Key.
function ownKey(borrowed) {
  if (!borrowed) {
    return null;
  }
  return new Key(callForHandle((f) => C.key_public(borrowed, f.ptr, f.err)));
}

// ---- key sets ------------------------------------------------------------------------------------
function addToKeySet(setPtr, item) {
  if (item instanceof Key) {
    call((f) => C.keyset_add(setPtr, item.handle, f.err));
  } else if (item instanceof KeySet) {
    for (const key of item) {
      try {
        call((f) => C.keyset_add(setPtr, key.handle, f.err));
      } finally {
        key.free();
      }
    }
  } else if (item && typeof item === 'object' && 'jwks' in item) {
    const json = bytes(typeof item.jwks === 'string' ? item.jwks : JSON.stringify(item.jwks), 'jwks');
    call((f) => C.keyset_add_jwks(setPtr, json, json.length, f.err));
  } else if (item && typeof item === 'object' && !(item instanceof Uint8Array)) {
    // A JWK object.
    const text = Buffer.from(JSON.stringify(item), 'utf8');
    call((f) => C.keyset_add_text(setPtr, text, text.length, publicFormats.jwk, f.err));
  } else {
    const text = bytes(item, 'key');
    call((f) => C.keyset_add_text(setPtr, text, text.length, publicFormats.any, f.err));
  }
}

/** A set of public keys (a JWK Set). Read concurrently once filled. */
export class KeySet extends Handle {
  constructor(keys = []) {
    super(callForHandle((f) => C.keyset_new(f.ptr, f.err)), C.keyset_free);
    for (const key of keys) {
      this.add(key);
    }
  }

  /** Parses a JWK Set document (string or object); unusable members are skipped (see `skipped`). */
  static fromJWKS(jwks) {
    const set = new KeySet();
    try {
      set.addJWKS(jwks);
    } catch (e) {
      set.free();
      throw e;
    }
    return set;
  }

  /** Adds a public Key, key text (PEM, OpenSSH, JWK JSON) or a JWK object. */
  add(key) {
    addToKeySet(this.handle, key);
    return this;
  }

  addJWKS(jwks) {
    addToKeySet(this.handle, { jwks });
    return this;
  }

  get size() {
    return Number(C.keyset_count(this.handle));
  }

  /** Member `index` as a new Key handle, or null. */
  get(index) {
    return ownKey(C.keyset_get(this.handle, index));
  }

  /** The member whose kid (JWK kid, else fingerprint) matches, as a new Key, or null. */
  find(kid) {
    const buf = bytes(kid, 'kid');
    return ownKey(C.keyset_find(this.handle, buf, buf.length));
  }

  /** Why each skipped JWKS member was skipped. */
  get skipped() {
    const n = Number(C.keyset_skipped_count(this.handle));
    return Array.from({ length: n }, (_, i) => C.keyset_skipped_reason(this.handle, i));
  }

  /** The set as a JWK Set document (JSON text). */
  toJWKS() {
    return takeString((out, outLen, err) => C.keyset_to_jwks(this.handle, out, outLen, err));
  }

  *[Symbol.iterator]() {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      yield this.get(i);
    }
  }
}

// ---- signing ---------------------------------------------------------------------------------------
/** The system clock in whole Unix seconds. */
export function now() {
  return Number(C.now());
}

/** A fresh nonce as upstream makes it: 8 random bytes, base64url without padding. */
export function generateNonce() {
  return randomBytes(8).toString('base64url');
}

/**
 * Signs a token {username, time, nonce} with header {alg, typ, kid}. `time` defaults to now,
 * `nonce` to generateNonce(), `alg` to the key's preferred algorithm.
 */
export function sign(privateKey, username, { time, nonce, alg } = {}) {
  if (!(privateKey instanceof Key)) {
    throw new TypeError('privateKey must be a Key');
  }
  const user = bytes(username, 'username');
  const n = bytes(nonce ?? generateNonce(), 'nonce');
  const t = toInt64(time ?? now(), 'time');
  const a = algFromName(alg);
  return takeString((out, outLen, err) =>
    C.sign(privateKey.handle, user, user.length, t, n, n.length, a, out, outLen, err));
}

/** The Authorization header value "<method> <token>" (method default "JWT"). */
export function authHeader(token, method = 'JWT') {
  const m = bytes(method, 'method');
  const t = bytes(token, 'token');
  return takeString((out, outLen, err) => C.auth_header(m, m.length, t, t.length, out, outLen, err));
}

/** Signs a token and returns the whole Authorization header value. */
export function signHeader(privateKey, username, options = {}) {
  return authHeader(sign(privateKey, username, options), options.method ?? 'JWT');
}

// ---- tokens ------------------------------------------------------------------------------------------
// The claims and header fields of a parsed token, in the shape of Verified (less the key).
// Five calls per token, so each is kept cheap: the strings come straight from koffi's decoding
// of the NUL-terminated text, which is the whole claim, since the library rejects a token whose
// username, nonce or kid holds a NUL (core/token.cpp, acceptable_string).
function readClaims(token) {
  return {
    username: C.token_username(token, null) ?? '',
    time: Number(C.token_time(token)),
    nonce: C.token_nonce(token, null) ?? '',
    alg: algName(C.token_alg(token)),
    kid: C.token_kid(token, null), // null when the header has none
  };
}

// Parses token text with the verifier's size cap into a bare token address. verify() uses it
// inside one call and frees it in a `finally`: no Token and no FinalizationRegistry entry, a
// cost only tokens that reach the user need (Verifier.parse wraps it in a Token).
function parseVerifierToken(verifier, token) {
  return parseText(token, (buf, len, f) => C.verifier_parse(verifier, buf, len, f.ptr, f.err));
}

/** A parsed, not yet trusted token. Its fields are read once, at parse time. */
export class Token extends Handle {
  constructor(ptr) {
    super(ptr, C.token_free);
    const { username, nonce, time, alg, kid } = readClaims(ptr);
    this.username = username;
    this.nonce = nonce;
    this.time = time;
    this.alg = alg;
    this.kid = kid;
  }

  /** The time claim as sent, fraction included (only the '1.x' policy accepts one). */
  get exactTime() {
    return C.token_time_exact(this.handle);
  }

  /** Parses a compact token (structure and claim types only; no signature or time check). */
  static parse(token, { maxSize = 0 } = {}) {
    return new Token(parseText(token, (buf, len, f) => C.token_parse(buf, len, maxSize, f.ptr, f.err)));
  }
}

export function parseToken(token, options) {
  return Token.parse(token, options);
}

/** The username a token claims (not yet verified). */
export function claimedUsername(token) {
  const parsed = Token.parse(token);
  try {
    return parsed.username;
  } finally {
    parsed.free();
  }
}

// ---- callback trampolines ----------------------------------------------------------------------------
// One registered native trampoline per callback type, dispatching on user_data (an integer
// id) to the JS functions of a handle. Entries are dropped when their handle goes away.
// A JS exception never unwinds through C: it is kept as the cause and a failure returned.
const callbackEntries = new Map();
let nextCallbackId = 1;

function addEntry(entry) {
  const id = nextCallbackId++;
  callbackEntries.set(id, entry);
  return id;
}

function entryOf(userData) {
  return callbackEntries.get(Number(userData));
}

function guarded(failure, fn) {
  return (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (callbackError === undefined) {
        callbackError = e;
      }
      return failure;
    }
  };
}

const nonceTrampoline = koffi.register(
  guarded(Status.AJWT_ERR_CALLBACK_FAILED, (userData, user, userLen, time, nonce, nonceLen) => {
    const entry = entryOf(userData);
    const fresh = entry.checkAndRecord(decodeText(user, userLen), Number(time), decodeText(nonce, nonceLen));
    if (fresh === true) {
      return Status.AJWT_OK;
    }
    if (fresh === false) {
      return Status.AJWT_ERR_NONCE_REPLAYED;
    }
    throw new TypeError('a nonce store callback must return true (new) or false (replayed)');
  }),
  koffi.pointer(NonceCallback));

const destroyTrampoline = koffi.register((userData) => {
  callbackEntries.delete(Number(userData));
}, koffi.pointer(DestroyCallback));

const userExistsTrampoline = koffi.register(
  guarded(Status.AJWT_ERR_CALLBACK_FAILED, (userData, user, userLen) => {
    const exists = entryOf(userData).userExists(decodeText(user, userLen));
    return exists ? Status.AJWT_OK : Status.AJWT_ERR_UNKNOWN_USER;
  }),
  koffi.pointer(UserExistsCallback));

function keysTrampoline(field) {
  return koffi.register(
    guarded(Status.AJWT_ERR_CALLBACK_FAILED, (userData, user, userLen, kid, kidLen, setPtr) => {
      const keys = entryOf(userData)[field](decodeText(user, userLen), kid ? decodeText(kid, kidLen) : null);
      if (keys === undefined || keys === null) {
        return Status.AJWT_OK;
      }
      const items = typeof keys === 'string' || keys instanceof Uint8Array || keys instanceof Key
        || keys instanceof KeySet || !(Symbol.iterator in Object(keys)) ? [keys] : keys;
      for (const item of items) {
        // The JWKS source gives documents (text or {keys: [...]}); userKeys gives keys.
        const isDoc = field === 'userJwks' && !(item instanceof Key || item instanceof KeySet
          || (item && typeof item === 'object' && 'jwks' in item));
        addToKeySet(setPtr, isDoc ? { jwks: item } : item);
      }
      return Status.AJWT_OK;
    }),
    koffi.pointer(UserKeysCallback));
}
const userKeysTrampoline = keysTrampoline('userKeys');
const userJwksTrampoline = keysTrampoline('userJwks');

const keyUsedTrampoline = koffi.register(
  guarded(undefined, (userData, user, userLen, keyPtr) => {
    const key = ownKey(keyPtr);
    entryOf(userData).keyUsed(decodeText(user, userLen), key);
  }),
  koffi.pointer(KeyUsedCallback));

// ---- nonce stores -----------------------------------------------------------------------------------
/**
 * Replay protection: remembers (username, time, nonce). NonceStore.memory() is the built-in
 * thread-safe store; NonceStore.fromCallback() wraps a JS store.
 */
export class NonceStore extends Handle {
  /**
   * Built-in memory store; ttl 0 = 40 s, maxEntries 0 = 1,000,000 (about 80 bytes each).
   * maxEntriesPerUser caps what one username may hold (0 = no cap of its own): beyond it that
   * user's new nonces get AJWT_ERR_NONCE_STORE_FULL while other users' still pass.
   */
  static memory({ ttl = 0, maxEntries = 0, maxEntriesPerUser = 0 } = {}) {
    return new NonceStore(callForHandle(
      (f) => C.nonce_store_new_memory_with_user_cap(ttl, maxEntries, maxEntriesPerUser, f.ptr, f.err)));
  }

  /**
   * A store backed by `checkAndRecord(username, time, nonce)`, which must atomically record
   * the entry and return true if it was new, false if it was already recorded; throwing
   * rejects the token (AJWT_ERR_CALLBACK_FAILED with the exception as cause).
   */
  static fromCallback(checkAndRecord) {
    if (typeof checkAndRecord !== 'function') {
      throw new TypeError('checkAndRecord must be a function');
    }
    const id = addEntry({ checkAndRecord });
    let ptr;
    try {
      ptr = callForHandle((f) => C.nonce_store_new_callback(nonceTrampoline, id, destroyTrampoline, f.ptr, f.err));
    } catch (e) {
      callbackEntries.delete(id);
      throw e;
    }
    return new NonceStore(ptr);
  }

  constructor(ptr) {
    // The callback entry is dropped by the library's destroy call, once no verifier holds it.
    super(ptr, C.nonce_store_free);
  }

  /** True if the entry was new (and is now recorded), false if it is a replay. */
  checkAndRecord(username, time, nonce, { now: nowSeconds } = {}) {
    const user = bytes(username, 'username');
    const n = bytes(nonce, 'nonce');
    const t = toInt64(time, 'time');
    const at = toInt64(nowSeconds ?? now(), 'now');
    let replayed = false;
    call((f) => {
      const status = C.nonce_store_check_and_record(this.handle, user, user.length, t, n, n.length, at, f.err);
      replayed = status === Status.AJWT_ERR_NONCE_REPLAYED; // an answer, not a failure
      return replayed ? Status.AJWT_OK : status;
    });
    return !replayed;
  }

  /** Live entries of a memory store (0 for a callback store). */
  get size() {
    return Number(C.nonce_store_size(this.handle));
  }
}

// ---- verifier ------------------------------------------------------------------------------------------
function verifiedResult(token, key) {
  const claims = readClaims(token);
  claims.key = key;
  return claims;
}

/** Verification policy: tolerance, algorithms, size cap and nonce store. */
export class Verifier extends Handle {
  /**
   * @param {object} [options] tolerance (s, default 20), algorithms (e.g. ['RS256', 'PS256']),
   *   maxTokenSize (bytes), nonceStore (a NonceStore; the verifier takes its own reference),
   *   leeway (s for exp/nbf/iat, default 0), compat ('strict', default, or '1.x')
   */
  constructor({ tolerance, algorithms, maxTokenSize, nonceStore, leeway, compat } = {}) {
    super(callForHandle((f) => C.verifier_new(f.ptr, f.err)), C.verifier_free);
    try {
      if (tolerance !== undefined) {
        call((f) => C.verifier_set_tolerance(this.handle, toInt64(tolerance, 'tolerance'), f.err));
      }
      if (leeway !== undefined) {
        call((f) => C.verifier_set_leeway(this.handle, toInt64(leeway, 'leeway'), f.err));
      }
      if (compat !== undefined) {
        const value = Object.hasOwn(Compat, compat) ? Compat[compat] : -1;  // -1: the library says INVALID_ARGUMENT
        call((f) => C.verifier_set_compat(this.handle, value, f.err));
      }
      if (algorithms !== undefined) {
        const algs = Int32Array.from(algorithms, algFromName);
        call((f) => C.verifier_set_algorithms(this.handle, algs, algs.length, f.err));
      }
      if (maxTokenSize !== undefined) {
        call((f) => C.verifier_set_max_token_size(this.handle, maxTokenSize, f.err));
      }
      if (nonceStore !== undefined && nonceStore !== null) {
        call((f) => C.verifier_set_nonce_store(this.handle, nonceStore.handle, f.err));
      }
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /** Parses with this verifier's size cap. */
  parse(token) {
    return new Token(parseVerifierToken(this.handle, token));
  }

  /**
   * Verifies a token (string or Token) with a Key or a KeySet: signature, time window, then
   * nonce check-and-record when the verifier has a store. Returns the claims and the key
   * that verified (for a KeySet a new Key handle); throws AjwtError otherwise.
   */
  verify(token, keys, { now: nowSeconds } = {}) {
    if (token instanceof Token) {
      return this.#verifyParsed(token.handle, keys, nowSeconds);
    }
    const parsed = parseVerifierToken(this.handle, token);
    try {
      return this.#verifyParsed(parsed, keys, nowSeconds);
    } finally {
      C.token_free(parsed);
    }
  }

  #verifyParsed(token, keys, nowSeconds) {
    const t = toInt64(nowSeconds ?? now(), 'now');
    if (keys instanceof KeySet) {
      const used = call((f) => C.verify_keyset(this.handle, token, keys.handle, t, f.ptr, f.err)).ptr[0];
      return verifiedResult(token, ownKey(used));
    }
    if (keys instanceof Key) {
      call((f) => C.verify(this.handle, token, keys.handle, t, f.err));
      return verifiedResult(token, keys);
    }
    throw new TypeError('keys must be a Key or a KeySet');
  }
}

/** One-shot verification with a default Verifier (no nonce store unless given in options). */
export function verify(token, keys, options = {}) {
  const verifier = new Verifier(options);
  try {
    return verifier.verify(token, keys, options);
  } finally {
    verifier.free();
  }
}

// ---- authenticator -----------------------------------------------------------------------------------
// Built outside the constructor: a closure made there would share its scope, which holds
// `this`, and the FinalizationRegistry could then never collect the authenticator.
function authenticatorRelease(id) {
  return (ptr) => {
    C.authenticator_free(ptr);
    callbackEntries.delete(id);
  };
}

/**
 * The whole server-side flow over an Authorization header, with repositories in JS:
 *   userKeys(username, kid)  -> Key | key text | JWK object | {jwks} | KeySet, or an iterable of them (required)
 *   userExists(username)     -> boolean (optional; without it every user exists)
 *   userJwks(username, kid)  -> JWKS text/object or iterable of them (optional; asked when userKeys gave no kid match)
 *   keyUsed(username, key)   -> told which key verified (optional)
 * Repositories are called synchronously during authenticate(); a thrown exception rejects
 * the request with AJWT_ERR_CALLBACK_FAILED, the exception being the error's `cause`.
 */
export class Authenticator extends Handle {
  #id;

  constructor({ verifier, method, userKeys, userExists, userJwks, keyUsed, ...policy } = {}) {
    if (typeof userKeys !== 'function') {
      throw new TypeError('userKeys(username, kid) is required');
    }
    const ownVerifier = verifier ? null : new Verifier(policy);
    let ptr;
    try {
      ptr = callForHandle((f) => C.authenticator_new((verifier ?? ownVerifier).handle, f.ptr, f.err));
    } finally {
      ownVerifier?.free(); // the authenticator copied its policy and store reference
    }
    const id = addEntry({ userKeys, userExists, userJwks, keyUsed });
    super(ptr, authenticatorRelease(id));
    this.#id = id;
    try {
      const data = id;
      if (method !== undefined) {
        const m = bytes(method, 'method');
        call((f) => C.authenticator_set_method(this.handle, m, m.length, f.err));
      }
      call((f) => C.authenticator_set_user_keys(this.handle, userKeysTrampoline, data, f.err));
      if (userExists) {
        call((f) => C.authenticator_set_user_exists(this.handle, userExistsTrampoline, data, f.err));
      }
      if (userJwks) {
        call((f) => C.authenticator_set_user_jwks(this.handle, userJwksTrampoline, data, f.err));
      }
      if (keyUsed) {
        call((f) => C.authenticator_set_key_used(this.handle, keyUsedTrampoline, data, f.err));
      }
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /**
   * Authenticates an Authorization header value ("JWT <token>"). Returns
   * {username, time, nonce, alg, kid, key}; throws AjwtError (code e.g. 'AJWT_ERR_UNKNOWN_USER').
   */
  authenticate(header, { now: nowSeconds } = {}) {
    const h = bytes(header ?? '', 'header');
    const t = toInt64(nowSeconds ?? now(), 'now');
    const frame = call((f) => C.authenticate(this.handle, h, h.length, t, f.ptr, f.ptr2, f.err));
    const token = frame.ptr[0]; // stays inside this call: freed below, never registered
    const key = frame.ptr2[0];
    try {
      return verifiedResult(token, new Key(key));
    } finally {
      C.token_free(token);
    }
  }
}

// ---- misc ----------------------------------------------------------------------------------------------
/** Version of the loaded libajwt, e.g. "0.1.0". */
export function version() {
  return C.version();
}

export function versionNumber() {
  return C.version_number();
}

/** Static English text for a status number. */
export function statusText(status) {
  return C.status_str(status);
}

/** Path or name the library was loaded from. */
export const libraryFile = libraryPath;

// ---- request binding (README "Request binding and audience") ------------------------------------
import { createHash } from 'node:crypto';

const B = {
  sign_request: lib.func('int ajwt_sign_request(const ajwt_key *private_key, const char *username, size_t username_len, int64_t time, const char *nonce, size_t nonce_len, int alg, const char *method, size_t method_len, const char *target, size_t target_len, const uint8_t *body_digest, const char *audience, size_t audience_len, void **token, size_t *token_len, ajwt_error *err)'),
  verifier_set_binding: lib.func('int ajwt_verifier_set_binding(ajwt_verifier *verifier, int policy, ajwt_error *err)'),
  verifier_set_audience: lib.func('int ajwt_verifier_set_audience(ajwt_verifier *verifier, const char *audience, size_t audience_len, ajwt_error *err)'),
  verify_request: lib.func('int ajwt_verify_request(const ajwt_verifier *verifier, const ajwt_token *token, const ajwt_key *public_key, double now, const char *method, size_t method_len, const char *target, size_t target_len, const uint8_t *body_digest, ajwt_error *err)'),
};

/** Request-binding policies (ajwt_binding_policy). */
export const Binding = Object.freeze({ off: 0, 'when-present': 1, required: 2 });

// (Buffer, length) of an optional text; (null, 0) when absent (not bound / unknown).
function optionalBytes(value, what) {
  if (value === undefined || value === null) {
    return [null, 0];
  }
  const buf = bytes(value, what);
  return [buf, buf.length];
}

// SHA-256 of an optional body (string as UTF-8 or bytes); null when absent.
function bodyDigest(body) {
  return body === undefined || body === null ? null : createHash('sha256').update(bytes(body, 'body')).digest();
}

/**
 * Signs a token bound to a request: each of method, target (path and query, or absolute URL),
 * body (string or bytes as sent; '' for none) and audience that is given is signed.
 */
export function signRequest(privateKey, username, { time, nonce, alg, method, target, body, audience } = {}) {
  if (!(privateKey instanceof Key)) {
    throw new TypeError('privateKey must be a Key');
  }
  const user = bytes(username, 'username');
  const n = bytes(nonce ?? generateNonce(), 'nonce');
  const t = toInt64(time ?? now(), 'time');
  const [m, mLen] = optionalBytes(method, 'method');
  const [tg, tgLen] = optionalBytes(target, 'target');
  const [aud, audLen] = optionalBytes(audience, 'audience');
  const digest = bodyDigest(body);
  return takeString((out, outLen, err) => B.sign_request(privateKey.handle, user, user.length, t, n, n.length,
    algFromName(alg), m, mLen, tg, tgLen, digest, aud, audLen, out, outLen, err));
}

/** Sets the request-binding policy ('off', 'when-present', 'required') and the audience (null: none). */
Verifier.prototype.setBinding = function setBinding(policy, { audience = null } = {}) {
  const value = Object.hasOwn(Binding, policy) ? Binding[policy] : -1; // -1: the library says INVALID_ARGUMENT
  call((f) => B.verifier_set_binding(this.handle, value, f.err));
  const [a, aLen] = optionalBytes(audience, 'audience');
  call((f) => B.verifier_set_audience(this.handle, a, aLen, f.err));
  return this;
};

/**
 * As verify() with one Key, and the request (method, target as received, body as received;
 * each absent = unknown) for the binding policy. Returns the claims and the key.
 */
Verifier.prototype.verifyRequest = function verifyRequest(token, key, { now: nowSeconds, method, target, body } = {}) {
  if (!(key instanceof Key)) {
    throw new TypeError('key must be a Key');
  }
  const parsed = token instanceof Token ? token.handle : parseVerifierToken(this.handle, token);
  try {
    const [m, mLen] = optionalBytes(method, 'method');
    const [tg, tgLen] = optionalBytes(target, 'target');
    const t = Number(toInt64(nowSeconds ?? now(), 'now'));
    call((f) => B.verify_request(this.handle, parsed, key.handle, t, m, mLen, tg, tgLen, bodyDigest(body), f.err));
    return verifiedResult(parsed, key);
  } finally {
    if (!(token instanceof Token)) {
      C.token_free(parsed);
    }
  }
};
