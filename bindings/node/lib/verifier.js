// The verifier: policy and verification.
import { C } from './ffi.js';
import { Compat } from './errors.js';
import { call, callForHandle } from './calls.js';
import { toInt64 } from './buffers.js';
import { Handle } from './handles.js';
import { algFromName } from './algorithms.js';
import { Key, KeySet, ownKey } from './keys.js';
import { Token, now, parseVerifierToken, readClaims } from './tokens.js';

export function verifiedResult(token, key) {
  const claims = readClaims(token);
  claims.key = key;
  return claims;
}

/** Verification policy: tolerance, algorithms, size cap and nonce store. */
export class Verifier extends Handle {
  /**
   * @param {object} [options] tolerance (s, default 20), algorithms (e.g. ['RS256', 'PS256']),
   *   maxTokenSize (bytes), nonceStore (a NonceStore; the verifier takes its own reference),
   *   leeway (s for exp/nbf/iat, default 0), compat ('strict', default, or '1.x'),
   *   binding ('off', default, 'when-present', 'required') and audience, as setBinding()
   */
  /** The request-binding policy set by setBinding() ('off' until then). */
  binding = 'off';

  constructor({ tolerance, algorithms, maxTokenSize, nonceStore, leeway, compat, binding, audience } = {}) {
    super(callForHandle((f) => C.verifier_new(f.ptr, f.err)), C.verifier_free);
    try {
      if (binding !== undefined || audience !== undefined) {
        this.setBinding(binding ?? 'off', { audience }); // lib/binding.js
      }
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

  /** Seconds a shared store must keep a nonce for this verifier's tolerance (ajwt_verifier_nonce_ttl). */
  get nonceTtl() {
    return Number(C.verifier_nonce_ttl(this.handle));
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
