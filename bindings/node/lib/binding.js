// Request binding: tokens signed for one request (method, target, body digest, audience), and
// the verifier's check of them against the request received. The rules live in the library.
import { C, BODY_DIGEST_SIZE } from './ffi.js';
import { Binding } from './errors.js';
import { call } from './calls.js';
import { bytes, takeString, toInt64 } from './buffers.js';
import { algFromName } from './algorithms.js';
import { Key } from './keys.js';
import { Token, now, generateNonce, parseVerifierToken } from './tokens.js';
import { Verifier, verifiedResult } from './verifier.js';

// (Buffer, length) of an optional text; (null, 0) when absent (not bound / unknown).
export function optionalBytes(value, what) {
  if (value === undefined || value === null) {
    return [null, 0];
  }
  const buf = bytes(value, what);
  return [buf, buf.length];
}

// The library's digest (ajwt_body_digest) of an optional body (string as UTF-8 or bytes); null when absent.
export function bodyDigest(body) {
  if (body === undefined || body === null) {
    return null;
  }
  const buf = bytes(body, 'body');
  const digest = Buffer.alloc(BODY_DIGEST_SIZE);
  call((f) => C.body_digest(buf, buf.length, digest, f.err));
  return digest;
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
  return takeString((out, outLen, err) => C.sign_request(privateKey.handle, user, user.length, t, n, n.length,
    algFromName(alg), m, mLen, tg, tgLen, digest, aud, audLen, out, outLen, err));
}

/** Sets the request-binding policy ('off', 'when-present', 'required') and the audience (null: none). */
Verifier.prototype.setBinding = function setBinding(policy, { audience = null } = {}) {
  const value = Object.hasOwn(Binding, policy) ? Binding[policy] : -1; // -1: the library says INVALID_ARGUMENT
  call((f) => C.verifier_set_binding(this.handle, value, f.err));
  const [a, aLen] = optionalBytes(audience, 'audience');
  call((f) => C.verifier_set_audience(this.handle, a, aLen, f.err));
  this.binding = policy; // what server adapters read to know whether a request's body is needed
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
    call((f) => C.verify_request(this.handle, parsed, key.handle, t, m, mLen, tg, tgLen, bodyDigest(body), f.err));
    return verifiedResult(parsed, key);
  } finally {
    if (!(token instanceof Token)) {
      C.token_free(parsed);
    }
  }
};
