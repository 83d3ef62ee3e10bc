// The authenticator: Authorization headers checked against JS user repositories.
import { C } from './ffi.js';
import { call, callForHandle } from './calls.js';
import { bytes, toInt64 } from './buffers.js';
import { Handle } from './handles.js';
import { Key } from './keys.js';
import { now } from './tokens.js';
import { addEntry, callbackEntries, keyUsedTrampoline, userExistsTrampoline, userJwksTrampoline, userKeysTrampoline } from './callbacks.js';
import { Verifier, verifiedResult } from './verifier.js';
import { bodyDigest, optionalBytes } from './binding.js';

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
    return authenticated(call((f) => C.authenticate(this.handle, h, h.length, t, f.ptr, f.ptr2, f.err)));
  }

  /**
   * As authenticate(), with the request the header came with (method, target as received, body
   * as received; each absent = unknown) for the verifier's binding policy (Verifier#setBinding).
   */
  authenticateRequest(header, { now: nowSeconds, method, target, body } = {}) {
    const h = bytes(header ?? '', 'header');
    const t = toInt64(nowSeconds ?? now(), 'now');
    const [m, mLen] = optionalBytes(method, 'method');
    const [tg, tgLen] = optionalBytes(target, 'target');
    const digest = bodyDigest(body);
    return authenticated(call((f) => C.authenticate_request(this.handle, h, h.length, t, m, mLen, tg, tgLen, digest,
      f.ptr, f.ptr2, f.err)));
  }
}

// The result of a successful authenticate call: its token stays inside (freed here, never registered).
function authenticated(frame) {
  const token = frame.ptr[0];
  const key = frame.ptr2[0];
  try {
    return verifiedResult(token, new Key(key));
  } finally {
    C.token_free(token);
  }
}
