// The authenticator: Authorization headers checked against JS user repositories.
import { C } from './ffi.js';
import { call, callForHandle, outputs } from './calls.js';
import { bytes, toInt64 } from './buffers.js';
import { Handle } from './handles.js';
import { Key } from './keys.js';
import { now } from './tokens.js';
import { addEntry, callbackEntries, keyUsedTrampoline, userExistsTrampoline, userJwksTrampoline, userKeysTrampoline } from './callbacks.js';
import { Verifier, verifiedResult } from './verifier.js';
import { bodyDigest, optionalBytes } from './binding.js';
import { AjwtError } from './errors.js';
import { NonceOutcome, beginPending, finishPending, lookUpKeys, pendingClaims, pendingNonce, verifyPending } from './pending.js';

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
 * authenticate() calls them synchronously (a thrown exception rejects the request with
 * AJWT_ERR_CALLBACK_FAILED, the exception being the error's `cause`); authenticateAsync()
 * awaits them, so they may return Promises, and records the nonce in `sharedNonceStore`
 * (`record(key, ttl)` -> Promise<boolean>, e.g. a RedisNonceStore) when one is given.
 */
export class Authenticator extends Handle {
  #id;
  #repository;
  #sharedNonceStore;

  constructor({ verifier, method, userKeys, userExists, userJwks, keyUsed, sharedNonceStore, ...policy } = {}) {
    if (typeof userKeys !== 'function') {
      throw new TypeError('userKeys(username, kid) is required');
    }
    if (sharedNonceStore !== undefined && typeof sharedNonceStore?.record !== 'function') {
      throw new TypeError('sharedNonceStore must have record(key, ttl)');
    }
    const ownVerifier = verifier ? null : new Verifier(policy);
    let ptr;
    let binding;
    try {
      ptr = callForHandle((f) => C.authenticator_new((verifier ?? ownVerifier).handle, f.ptr, f.err));
      binding = (verifier ?? ownVerifier).binding;
    } finally {
      ownVerifier?.free(); // the authenticator copied its policy and store reference
    }
    const id = addEntry({ userKeys, userExists, userJwks, keyUsed });
    super(ptr, authenticatorRelease(id));
    this.#id = id;
    this.#repository = { userKeys, userExists, userJwks, keyUsed };
    this.#sharedNonceStore = sharedNonceStore;
    /** The request-binding policy copied from the verifier: server adapters read the body unless 'off'. */
    this.binding = binding;
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
    return authenticated(outputs(call((f) => C.authenticate(this.handle, h, h.length, t, f.ptr, f.ptr2, f.err))));
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
    return authenticated(outputs(call((f) => C.authenticate_request(this.handle, h, h.length, t, m, mLen, tg, tgLen,
      digest, f.ptr, f.ptr2, f.err))));
  }

  /**
   * As authenticateRequest(), for async hosts: the repositories may return Promises and the
   * nonce goes to `sharedNonceStore` (else the verifier's store). Nothing waits on I/O inside
   * the library (ajwt_authenticate_begin / ajwt_pending_verify / ajwt_pending_finish). A refusal
   * rejects with an AjwtError whose `claimedUsername` is set once the token was parsed.
   */
  async authenticateAsync(header, { now: nowSeconds, method, target, body } = {}) {
    const pending = beginPending(this.handle, header);
    let username;
    try {
      const claims = pendingClaims(pending);
      username = claims.username;
      const keys = await lookUpKeys(this.#repository, username, claims.kid);
      try {
        const [m, methodLen] = optionalBytes(method, 'method');
        const [tg, targetLen] = optionalBytes(target, 'target');
        const t = toInt64(nowSeconds ?? now(), 'now');
        verifyPending(pending, keys, t, { method: m, methodLen, target: tg, targetLen, digest: bodyDigest(body) });
      } finally {
        keys?.free();
      }
      const result = authenticated(await this.#finish(pending));
      this.#tellKeyUsed(username, result.key);
      return result;
    } catch (e) {
      if (e instanceof AjwtError && username !== undefined) {
        e.claimedUsername = username;
      }
      throw e;
    } finally {
      C.pending_free(pending);
    }
  }

  // Records the nonce in the shared store (a failure of the store refuses: fail closed), then finishes.
  async #finish(pending) {
    if (!this.#sharedNonceStore) {
      return finishPending(pending, NonceOutcome.useVerifierStore);
    }
    const { key, ttl } = pendingNonce(pending);
    let outcome;
    let storeError;
    try {
      outcome = (await this.#sharedNonceStore.record(key, ttl)) ? NonceOutcome.recorded : NonceOutcome.alreadyRecorded;
    } catch (e) {
      outcome = NonceOutcome.storeFailed;
      storeError = e;
    }
    try {
      return finishPending(pending, outcome);
    } catch (e) {
      if (storeError !== undefined && e instanceof AjwtError) {
        e.cause = storeError;
      }
      throw e;
    }
  }

  #tellKeyUsed(username, key) {
    try {
      this.#repository.keyUsed?.(username, key);
    } catch {
      // As with the synchronous flow: a failing keyUsed does not refuse a verified request.
    }
  }
}

// The result of a successful authenticate call ({token, key} addresses, or the call's frame):
// its token stays inside (freed here, never registered).
function authenticated({ token, key }) {
  try {
    return verifiedResult(token, new Key(key));
  } finally {
    C.token_free(token);
  }
}
