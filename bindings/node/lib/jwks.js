// JWKS key sources: the library's cache decides (TTL refresh, stale keys while the endpoint
// fails, cooldown for unknown kids, size and key caps); the GET is the global fetch, awaited,
// so no lookup blocks the event loop (ajwt_jwks_cache_lookup / ajwt_jwks_cache_store).
import { C } from './ffi.js';
import { call, callForHandle } from './calls.js';
import { bytes, toInt64 } from './buffers.js';
import { Handle } from './handles.js';
import { KeySet } from './keys.js';
import { now } from './tokens.js';

const NO_FETCH = 0; // AJWT_JWKS_NONE; FETCH_NOW and REFRESH both start the one fetch of the URL

// The policy setters, by option name.
const setters = {
  ttl: (h, v, err) => C.jwks_cache_set_ttl(h, toInt64(v, 'ttl'), err),
  maxAge: (h, v, err) => C.jwks_cache_set_max_age(h, toInt64(v, 'maxAge'), err),
  refreshCooldown: (h, v, err) => C.jwks_cache_set_refresh_cooldown(h, toInt64(v, 'refreshCooldown'), err),
  fetchTimeoutMs: (h, v, err) => C.jwks_cache_set_fetch_timeout_ms(h, v, err),
  maxBodySize: (h, v, err) => C.jwks_cache_set_max_body_size(h, v, err),
  maxKeys: (h, v, err) => C.jwks_cache_set_max_keys(h, v, err),
  maxEntries: (h, v, err) => C.jwks_cache_set_max_entries(h, v, err),
};

// At most `limit` + 1 bytes of a response body: one byte more than allowed is enough for the
// library to refuse the set as too large, and nothing more is read.
async function readCapped(body, limit) {
  if (!body) {
    return Buffer.alloc(0);
  }
  const chunks = [];
  let size = 0;
  const reader = body.getReader();
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      chunks.push(value);
      size += value.length;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks, size).subarray(0, Math.min(size, limit + 1));
}

/**
 * The keys of trusted JWKS URLs, cached by the library's policy. Options (library defaults
 * when absent): ttl, maxAge, refreshCooldown (s), fetchTimeoutMs, maxBodySize, maxKeys,
 * maxEntries; `fetch` (default the global fetch); `onFetchFailure(url, error)` is told of
 * failed fetches (the cache keeps serving what it has, within maxAge).
 */
export class JwksCache extends Handle {
  #fetch;
  #onFetchFailure;
  #inFlight = new Map(); // url -> Promise of its fetch and store

  constructor({ fetch = globalThis.fetch, onFetchFailure = () => {}, ...policy } = {}) {
    if (typeof fetch !== 'function') {
      throw new TypeError('fetch must be a function');
    }
    super(callForHandle((f) => C.jwks_cache_new(f.ptr, f.err)), C.jwks_cache_free);
    this.#fetch = fetch;
    this.#onFetchFailure = onFetchFailure;
    try {
      for (const [name, value] of Object.entries(policy)) {
        const set = setters[name];
        if (!set) {
          throw new TypeError(`unknown JwksCache option '${name}'`);
        }
        call((f) => set(this.handle, value, f.err));
      }
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /**
   * The usable keys of `url` (only the one matching `kid` when given) as a new KeySet: from the
   * cache, after awaiting the fetch when nothing usable is cached, refreshed in the background
   * when stale. Resolves with an empty set when the endpoint has nothing usable.
   */
  async keys(url, kid = null, { now: nowSeconds } = {}) {
    const at = () => toInt64(nowSeconds ?? now(), 'now');
    let keys = this.#lookup(url, kid, at);
    const inFlight = this.#inFlight.get(url);
    if (keys.size === 0 && inFlight) {
      // Nothing to serve until the fetch (this call's or a concurrent one's) is stored.
      keys.free();
      await inFlight;
      keys = this.#lookup(url, kid, at);
    }
    return keys;
  }

  /** Number of URLs cached. */
  get size() {
    return Number(C.jwks_cache_size(this.handle));
  }

  // The cached keys; starts the fetch the library asks for (awaited by the caller only when
  // nothing usable is cached, else a background refresh).
  #lookup(url, kid, at) {
    const u = bytes(url, 'url');
    const k = kid === null || kid === undefined ? null : bytes(kid, 'kid');
    const keys = new KeySet();
    const action = new Int32Array(1);
    try {
      call((f) => C.jwks_cache_lookup(this.handle, u, u.length, k, k ? k.length : 0, at(), keys.handle, action, f.err));
    } catch (e) {
      keys.free();
      throw e;
    }
    if (action[0] !== NO_FETCH) {
      this.#fetchAndStore(url, at);
    }
    return keys;
  }

  // One GET per URL at a time; its result, whatever it is, is stored exactly once.
  #fetchAndStore(url, at) {
    let pending = this.#inFlight.get(url);
    if (!pending) {
      pending = this.#get(url).then(({ status, body }) => {
        const u = bytes(url, 'url');
        const b = bytes(body, 'body');
        try {
          call((f) => C.jwks_cache_store(this.handle, u, u.length, status, b, b.length, at(), f.err));
        } catch (e) {
          this.#onFetchFailure(url, e);
        }
      }).finally(() => this.#inFlight.delete(url));
      this.#inFlight.set(url, pending);
    }
    return pending;
  }

  // The HTTP status (0 = transport failure) and body, within the cache's timeout and size cap.
  async #get(url) {
    const timeout = C.jwks_cache_fetch_timeout_ms(this.handle);
    const limit = Number(C.jwks_cache_max_body_size(this.handle));
    try {
      const response = await this.#fetch(url, { signal: AbortSignal.timeout(timeout), redirect: 'manual' });
      return { status: response.status, body: await readCapped(response.body, limit) };
    } catch (e) {
      this.#onFetchFailure(url, e);
      return { status: 0, body: Buffer.alloc(0) };
    }
  }
}
