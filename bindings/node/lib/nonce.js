// Nonce stores.
import { C, NONCE_KEY_SIZE } from './ffi.js';
import { Status } from './errors.js';
import { call, callForHandle } from './calls.js';
import { bytes, toInt64 } from './buffers.js';
import { Handle } from './handles.js';
import { now } from './tokens.js';
import { addEntry, callbackEntries, destroyTrampoline, nonceTrampoline } from './callbacks.js';

/**
 * Replay protection: remembers (username, time, nonce). NonceStore.memory() is the built-in
 * thread-safe store; NonceStore.fromCallback() wraps a JS store.
 */
export class NonceStore extends Handle {
  /**
   * Built-in memory store; ttl 0 = 41 s, maxEntries 0 = 1,000,000 (about 80 bytes each).
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

const nonceKeyBuffer = Buffer.alloc(NONCE_KEY_SIZE + 1);

/**
 * The key under which every language's shared store records (username, time, nonce):
 * "ajwt-nonce-" + 64 hex digits (ajwt_nonce_key), so services sharing one Redis refuse each
 * other's replays.
 */
export function nonceKey(username, time, nonce) {
  const user = bytes(username, 'username');
  const n = bytes(nonce, 'nonce');
  const t = toInt64(time, 'time');
  call((f) => C.nonce_key(user, user.length, t, n, n.length, nonceKeyBuffer, nonceKeyBuffer.length, f.err));
  return nonceKeyBuffer.toString('latin1', 0, NONCE_KEY_SIZE);
}
