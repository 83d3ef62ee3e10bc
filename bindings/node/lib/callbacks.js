// JS functions the library calls: one native trampoline per callback type.
import koffi from 'koffi';
import { DestroyCallback, KeyUsedCallback, NonceCallback, UserExistsCallback, UserKeysCallback } from './ffi.js';
import { Status } from './errors.js';
import { keepCallbackError } from './calls.js';
import { decodeText } from './buffers.js';
import { addKeysResult, ownKey } from './keys.js';

// One registered native trampoline per callback type, dispatching on user_data (an integer
// id) to the JS functions of a handle. Entries are dropped when their handle goes away.
// A JS exception never unwinds through C: it is kept as the cause and a failure returned.
export const callbackEntries = new Map();
let nextCallbackId = 1;

export function addEntry(entry) {
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
      keepCallbackError(e);
      return failure;
    }
  };
}

export const nonceTrampoline = koffi.register(
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

export const destroyTrampoline = koffi.register((userData) => {
  callbackEntries.delete(Number(userData));
}, koffi.pointer(DestroyCallback));

export const userExistsTrampoline = koffi.register(
  guarded(Status.AJWT_ERR_CALLBACK_FAILED, (userData, user, userLen) => {
    const exists = entryOf(userData).userExists(decodeText(user, userLen));
    return exists ? Status.AJWT_OK : Status.AJWT_ERR_UNKNOWN_USER;
  }),
  koffi.pointer(UserExistsCallback));

function keysTrampoline(field) {
  return koffi.register(
    guarded(Status.AJWT_ERR_CALLBACK_FAILED, (userData, user, userLen, kid, kidLen, setPtr) => {
      const keys = entryOf(userData)[field](decodeText(user, userLen), kid ? decodeText(kid, kidLen) : null);
      addKeysResult(setPtr, keys, { documents: field === 'userJwks' });
      return Status.AJWT_OK;
    }),
    koffi.pointer(UserKeysCallback));
}
export const userKeysTrampoline = keysTrampoline('userKeys');
export const userJwksTrampoline = keysTrampoline('userJwks');

export const keyUsedTrampoline = koffi.register(
  guarded(undefined, (userData, user, userLen, keyPtr) => {
    const key = ownKey(keyPtr);
    entryOf(userData).keyUsed(decodeText(user, userLen), key);
  }),
  koffi.pointer(KeyUsedCallback));
