// Signing, and parsed (not yet trusted) tokens.
import { randomBytes } from 'node:crypto';
import { C } from './ffi.js';
import { bytes, parseText, takeString, toInt64 } from './buffers.js';
import { Handle } from './handles.js';
import { algFromName, algName } from './algorithms.js';
import { Key } from './keys.js';

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
export function readClaims(token) {
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
export function parseVerifierToken(verifier, token) {
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
