// Type declarations of the ajwt Node binding (libajwt over koffi).

/** Status numbers by name, as in ajwt.h. */
export declare const Status: Readonly<{
  AJWT_OK: 0;
  AJWT_ERR_INVALID_ARGUMENT: 1;
  AJWT_ERR_OUT_OF_MEMORY: 2;
  AJWT_ERR_INTERNAL: 3;
  AJWT_ERR_CALLBACK_FAILED: 4;
  AJWT_ERR_KEY_PARSE: 10;
  AJWT_ERR_KEY_UNSUPPORTED: 11;
  AJWT_ERR_KEY_TOO_SMALL: 12;
  AJWT_ERR_KEY_TOO_LARGE: 13;
  AJWT_ERR_PASSWORD_REQUIRED: 14;
  AJWT_ERR_WRONG_PASSWORD: 15;
  AJWT_ERR_ENCRYPTED_OPENSSH_KEY: 16;
  AJWT_ERR_NOT_PRIVATE_KEY: 17;
  AJWT_ERR_PRIVATE_KEY_GIVEN: 18;
  AJWT_ERR_JWKS_PARSE: 19;
  AJWT_ERR_JWKS_FETCH: 20;
  AJWT_ERR_TOKEN_TOO_LARGE: 30;
  AJWT_ERR_TOKEN_FORMAT: 31;
  AJWT_ERR_TOKEN_BASE64: 32;
  AJWT_ERR_TOKEN_JSON: 33;
  AJWT_ERR_TOKEN_HEADER: 34;
  AJWT_ERR_TOKEN_CLAIMS: 35;
  AJWT_ERR_TOKEN_TIME: 36;
  AJWT_ERR_ALGORITHM_NOT_ALLOWED: 40;
  AJWT_ERR_BAD_SIGNATURE: 41;
  AJWT_ERR_TOKEN_EXPIRED: 42;
  AJWT_ERR_TOKEN_FROM_FUTURE: 43;
  AJWT_ERR_NONCE_REPLAYED: 44;
  AJWT_ERR_NONCE_STORE_FULL: 45;
  AJWT_ERR_NO_AUTH_HEADER: 50;
  AJWT_ERR_WRONG_AUTH_METHOD: 51;
  AJWT_ERR_UNKNOWN_USER: 52;
  AJWT_ERR_NO_MATCHING_KEY: 53;
  AJWT_ERR_TOKEN_EXP_PASSED: 60;
  AJWT_ERR_TOKEN_NOT_YET_VALID: 61;
  AJWT_ERR_TOKEN_IAT_FUTURE: 62;
  AJWT_ERR_TOKEN_AUDIENCE: 63;
  AJWT_ERR_TOKEN_REGISTERED_CLAIM: 64;
  AJWT_ERR_BINDING_METHOD: 80;
  AJWT_ERR_BINDING_TARGET: 81;
  AJWT_ERR_BINDING_BODY: 82;
  AJWT_ERR_BINDING_AUDIENCE: 83;
  AJWT_ERR_BINDING_REQUIRED: 84;
}>;

export type StatusName = keyof typeof Status;

/** A failure status of libajwt. */
export declare class AjwtError extends Error {
  readonly name: 'AjwtError';
  /** The status name, e.g. 'AJWT_ERR_BAD_SIGNATURE'. */
  readonly code: StatusName | `AJWT_STATUS_${number}`;
  /** The status number, e.g. 41. */
  readonly status: number;
  /** For AJWT_ERR_CALLBACK_FAILED: the exception a JS callback threw; for a shared nonce store's failure, its error. */
  readonly cause?: unknown;
  /** From authenticateAsync, once the token was parsed: the username it claims (not verified). */
  claimedUsername?: string;
}

export type Algorithm =
  | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';
export type KeyType = 'rsa' | 'ed25519' | 'ed448' | 'p256' | 'p384' | 'p521';
export type PublicKeyFormat = 'any' | 'pem' | 'openssh' | 'jwk';
export type ExportFormat = 'pem' | 'openssh' | 'jwk' | 'pkcs8';
export type Bytes = string | Uint8Array;
/** A JSON Web Key as an object. */
export type JWK = { kty: string; [member: string]: unknown };
/** A JWK Set document, as text or object. */
export type JWKS = string | { keys: JWK[] };

/** A native handle: free() it (or `using`); a FinalizationRegistry frees forgotten ones. */
declare abstract class Handle {
  /** True after free(). */
  readonly freed: boolean;
  /** Releases the native handle now; later calls do nothing. */
  free(): void;
  [Symbol.dispose](): void;
}

export declare class Key extends Handle {
  private constructor();
  /** PEM SPKI / PKCS#1, OpenSSH or JWK public key text ('any' tries each). */
  static loadPublic(text: Bytes, options?: { format?: PublicKeyFormat }): Key;
  /** PKCS#8 PEM, traditional PEM or OpenSSH (ssh-keygen) private key, optionally encrypted. */
  static loadPrivate(text: Bytes, options?: { password?: Bytes | null }): Key;
  /** Generates a private key (default Ed25519). */
  static generate(type?: KeyType, options?: { bits?: number; exponent?: number | bigint }): Key;

  readonly type: KeyType;
  readonly isPrivate: boolean;
  readonly bits: number;
  /** OpenSSH comment, '' if none. */
  readonly comment: string;
  /** Lowercase hex SHA-256 of the canonical PEM SPKI text (the token kid). */
  readonly fingerprint: string;
  /** Default algorithms, most preferred first. */
  readonly algorithms: Algorithm[];

  publicKey(): Key;
  supportsAlgorithm(alg: Algorithm): boolean;
  export(format?: ExportFormat, options?: { password?: Bytes | null }): string;
  toPEM(): string;
  toOpenSSH(): string;
  toJWK(): JWK;
  toPKCS8(options?: { password?: Bytes | null }): string;
  equals(other: unknown): boolean;
  sign(username: Bytes, options?: SignOptions): string;
}

/** Anything a KeySet (or a key repository) accepts. */
export type KeyInput = Key | KeySet | Bytes | JWK | { jwks: JWKS };

export declare class KeySet extends Handle implements Iterable<Key> {
  constructor(keys?: Iterable<KeyInput>);
  static fromJWKS(jwks: JWKS): KeySet;
  add(key: KeyInput): this;
  addJWKS(jwks: JWKS): this;
  readonly size: number;
  /** Member `index` as a new Key handle, or null. */
  get(index: number): Key | null;
  /** Member whose kid (JWK kid, else fingerprint) matches, as a new Key handle, or null. */
  find(kid: Bytes): Key | null;
  /** Why each skipped JWKS member was skipped. */
  readonly skipped: string[];
  toJWKS(): string;
  [Symbol.iterator](): Iterator<Key>;
}

export interface SignOptions {
  /** Unix seconds; default now(). */
  time?: number | bigint;
  /** Default generateNonce(). */
  nonce?: Bytes;
  /** Default the key's preferred algorithm. */
  alg?: Algorithm;
}

export declare function sign(privateKey: Key, username: Bytes, options?: SignOptions): string;
/** "<method> <token>", method default "JWT". */
export declare function authHeader(token: Bytes, method?: Bytes): string;
export declare function signHeader(privateKey: Key, username: Bytes, options?: SignOptions & { method?: Bytes }): string;
/** 8 random bytes, base64url without padding. */
export declare function generateNonce(): string;
/** System clock in whole Unix seconds. */
export declare function now(): number;

/** A parsed, not yet verified token. */
export declare class Token extends Handle {
  private constructor();
  static parse(token: Bytes, options?: { maxSize?: number }): Token;
  readonly username: string;
  readonly nonce: string;
  readonly time: number;
  /** The time claim as sent, fraction included. */
  readonly exactTime: number;
  readonly alg: Algorithm | null;
  readonly kid: string | null;
}
export declare function parseToken(token: Bytes, options?: { maxSize?: number }): Token;
/** The username a token claims, before any verification. */
export declare function claimedUsername(token: Bytes): string;

export declare class NonceStore extends Handle {
  private constructor();
  /**
   * Built-in thread-safe store (ttl 0 = 41 s, maxEntries 0 = 1,000,000; about 80 bytes each).
   * maxEntriesPerUser caps one username's live entries (0 = no cap of its own); beyond it that
   * user's new nonces get AJWT_ERR_NONCE_STORE_FULL while other users' pass.
   */
  static memory(options?: { ttl?: number; maxEntries?: number; maxEntriesPerUser?: number }): NonceStore;
  /**
   * A store implemented in JS: record atomically, return true when new, false when replayed.
   * Throwing rejects the token with AJWT_ERR_CALLBACK_FAILED. Called synchronously.
   */
  static fromCallback(checkAndRecord: (username: string, time: number, nonce: string) => boolean): NonceStore;
  /** True when new (now recorded), false for a replay. */
  checkAndRecord(username: Bytes, time: number | bigint, nonce: Bytes, options?: { now?: number | bigint }): boolean;
  /** Live entries of a memory store; 0 for a callback store. */
  readonly size: number;
}

export interface VerifierOptions {
  /** Seconds, default 20. */
  tolerance?: number;
  algorithms?: Algorithm[];
  maxTokenSize?: number;
  nonceStore?: NonceStore | null;
  /** Seconds of tolerance for exp/nbf/iat, default 0. */
  leeway?: number;
  /** Token policy: 'strict' (default) or '1.x' (what asymmetric-jwt-auth 1.x accepts). */
  compat?: 'strict' | '1.x';
  /** Request-binding policy, as setBinding() (default 'off'). */
  binding?: BindingPolicy;
  /** The audience this service answers to, as setBinding(). */
  audience?: string | null;
}

export type BindingPolicy = 'off' | 'when-present' | 'required';

export interface Verified {
  username: string;
  time: number;
  nonce: string;
  alg: Algorithm | null;
  kid: string | null;
  /** The key that verified (for a KeySet or an authenticator, a new handle). */
  key: Key;
}

export declare class Verifier extends Handle {
  constructor(options?: VerifierOptions);
  /** The request-binding policy last set ('off' until then). */
  readonly binding: BindingPolicy;
  /** Seconds a shared store keeps a nonce for this verifier's tolerance (2 * tolerance + 1). */
  readonly nonceTtl: number;
  parse(token: Bytes): Token;
  verify(token: Bytes | Token, keys: Key | KeySet, options?: { now?: number | bigint }): Verified;
  /** Request binding: policy and audience (docs/request-binding.md). */
  setBinding(policy: BindingPolicy, options?: { audience?: string | null }): this;
  /** As verify with one key, and the request as received (each part absent = unknown). */
  verifyRequest(token: Bytes | Token, key: Key, options?: { now?: number | bigint } & RequestBindingOptions): Verified;
}

/** One-shot verification with a Verifier built from `options`. */
export declare function verify(token: Bytes | Token, keys: Key | KeySet,
  options?: VerifierOptions & { now?: number | bigint }): Verified;

export type KeysResult = KeyInput | Iterable<KeyInput> | null | undefined;
/** What authenticateAsync accepts from a repository: the value or a Promise of it. */
export type MaybePromise<T> = T | PromiseLike<T>;

/** A nonce store shared by replicas (e.g. RedisNonceStore): the key and ttl come from the library. */
export interface SharedNonceStore {
  /** Records `key` for `ttl` seconds: true when new, false when already recorded (a replay); rejects = fail closed. */
  record(key: string, ttl: number): Promise<boolean>;
}

export interface AuthenticatorOptions extends VerifierOptions {
  /** Policy to copy (its nonce store included); otherwise built from the VerifierOptions. */
  verifier?: Verifier;
  /** Method word, default "JWT" (case-insensitive). */
  method?: string;
  /** The user's registered public keys; `kid` is a hint. Required. A Promise only for authenticateAsync. */
  userKeys(username: string, kid: string | null): MaybePromise<KeysResult>;
  /** Does the user exist? Without it every claimed user exists. */
  userExists?(username: string): MaybePromise<boolean>;
  /** JWKS documents (or KeySets, e.g. from JwksCache#keys) of the user's trusted endpoints, asked when userKeys gave no kid match. */
  userJwks?(username: string, kid: string | null): MaybePromise<JWKS | KeySet | Iterable<JWKS | KeySet> | null | undefined>;
  /** Where authenticateAsync records nonces (else the verifier's nonce store). */
  sharedNonceStore?: SharedNonceStore;
  /** Told which key verified a request. Exceptions here are ignored. */
  keyUsed?(username: string, key: Key): void;
}

export declare class Authenticator extends Handle {
  constructor(options: AuthenticatorOptions);
  /** Authenticates an Authorization header value; throws AjwtError. */
  authenticate(header: Bytes | null | undefined, options?: { now?: number | bigint }): Verified;
  /** As authenticate, and the request as received for the verifier's binding policy (each part absent = unknown). */
  authenticateRequest(header: Bytes | null | undefined,
    options?: { now?: number | bigint } & RequestBindingOptions): Verified;
  /**
   * The same checks for async hosts (two-phase ABI): awaits the repositories and the shared
   * nonce store; nothing blocks the event loop. Rejects with an AjwtError.
   */
  authenticateAsync(header: Bytes | null | undefined,
    options?: { now?: number | bigint } & RequestBindingOptions): Promise<Verified>;
  /** The request-binding policy copied from the verifier: server adapters read the body unless 'off'. */
  readonly binding: BindingPolicy;
}

/** The shared-store key of (username, time, nonce), the same in every language: "ajwt-nonce-" + 64 hex. */
export declare function nonceKey(username: Bytes, time: number | bigint, nonce: Bytes): string;

// ---- HTTP adapters -------------------------------------------------------------------------

/** The smallest logger: a function of the line, or anything with warn() (console, pino, winston). */
export type Logger = ((line: string) => void) | { warn(line: string): void };

export interface AdapterOptions {
  /** Where refusal lines go (default console; for Fastify, the request's logger). */
  logger?: Logger;
  /** Body cap when the body is read for request binding (default 1 MiB; beyond: 413). */
  maxBodySize?: number;
  /** Read the body for its digest (default: when the authenticator's binding policy is not 'off'). */
  readBody?: boolean;
  /** What req.user becomes (default `{ username }`). */
  user?(verified: Verified): unknown;
  /** Clock for tests (Unix seconds); default the system clock. */
  now?(): number;
}

/** Minimal shapes of node:http's request and response (Express and Connect pass supersets). */
export interface IncomingRequest extends AsyncIterable<Buffer> {
  method?: string;
  url?: string;
  originalUrl?: string;
  headers: { authorization?: string };
  user?: unknown;
  ajwt?: Verified;
  rawBody?: Buffer;
  body?: unknown;
}
export interface ServerResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/**
 * Connect/Express middleware: sets req.user and req.ajwt, or answers 401 with
 * `WWW-Authenticate: JWT` and logs one line (never the token).
 */
export declare function authMiddleware(authenticator: Authenticator, options?: AdapterOptions):
  (req: IncomingRequest, res: ServerResponseLike, next: (error?: unknown) => void) => void;

/** A body over the adapter's cap (answered 413). */
export declare class BodyTooLarge extends Error {
  readonly name: 'BodyTooLarge';
  readonly limit: number;
}

/** Fastify plugin: `app.register(ajwtFastify, { authenticator, ... })`; sets request.user and request.ajwt. */
export declare function ajwtFastify(instance: unknown, options: AdapterOptions & { authenticator: Authenticator },
  done: (error?: Error) => void): void;

export interface SignedFetchOptions {
  /** Default the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Bind each token to the request's method, URL and body (default false). */
  bind?: boolean;
  /** The service the token is for ("ajwt_aud"). */
  audience?: string;
  /** Method word of the Authorization header (default "JWT"). */
  method?: string;
}
/** A fetch that signs each request with a fresh token as `username`. */
export declare function signedFetch(privateKey: Key, username: string, options?: SignedFetchOptions):
  (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A shared nonce store that could not answer (not connected, error, timeout): the request fails closed. */
export declare class NonceStoreUnavailable extends Error {
  readonly name: 'NonceStoreUnavailable';
}
/** Nonces in Redis (`SET key 1 NX EX ttl`) through a node-redis (4+) or ioredis client. */
export declare class RedisNonceStore implements SharedNonceStore {
  /** `timeout`: ms to wait for Redis before refusing (default 1000). */
  constructor(client: unknown, options?: { timeout?: number });
  record(key: string, ttl: number): Promise<boolean>;
}

export interface JwksCacheOptions {
  /** Seconds before a set is refreshed (library default 300). */
  ttl?: number;
  /** Seconds stale keys are served while the endpoint fails (default 3600). */
  maxAge?: number;
  /** Seconds between refreshes asked by unknown kids, per URL (default 30). */
  refreshCooldown?: number;
  /** The GET's deadline (default 5000). */
  fetchTimeoutMs?: number;
  /** Bytes of a JWKS body (default 262144). */
  maxBodySize?: number;
  /** Usable keys per set (default 100). */
  maxKeys?: number;
  /** URLs cached (default 1000). */
  maxEntries?: number;
  /** Default the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Told of each failed fetch or refused set. */
  onFetchFailure?(url: string, error: unknown): void;
}
/** Keys of trusted JWKS URLs, cached by the library's policy and fetched with fetch. */
export declare class JwksCache extends Handle {
  constructor(options?: JwksCacheOptions);
  /** The usable keys of `url` (the one matching `kid` when given) as a new KeySet. */
  keys(url: string, kid?: string | null, options?: { now?: number | bigint }): Promise<KeySet>;
  /** URLs cached. */
  readonly size: number;
}

export declare function version(): string;
export declare function versionNumber(): number;
export declare function statusText(status: number): string;
/** The path or soname libajwt was loaded from: env AJWT_LIBRARY, else the package's prebuilds/<platform>-<arch>/libajwt.so.0, else 'libajwt.so.0'. */
export declare const libraryFile: string;

/** Request-binding policies (docs/request-binding.md). */
export declare const Binding: Readonly<{ off: 0; 'when-present': 1; required: 2 }>;
export interface RequestBindingOptions {
  method?: string | null;
  target?: string | null;
  body?: string | Uint8Array | null;
}
export declare function signRequest(
  privateKey: Key,
  username: string,
  options?: { time?: number | bigint; nonce?: string; alg?: string; audience?: string } & RequestBindingOptions,
): string;
