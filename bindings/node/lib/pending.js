// Two-phase authentication (ajwt_authenticate_begin / ajwt_pending_verify / ajwt_pending_finish):
// the library parses and verifies, the host awaits its own key lookup and nonce record in
// between, so no library call ever waits on I/O. The order of checks and the decoy check for
// unknown users are the library's.
import { C } from './ffi.js';
import { AjwtError, Status } from './errors.js';
import { accessorLength, call, callForHandle, outputs } from './calls.js';
import { bytes } from './buffers.js';
import { KeySet, addKeysResult } from './keys.js';

/** What the host's nonce store answered (ajwt_nonce_outcome). */
export const NonceOutcome = Object.freeze({
  recorded: 0,
  alreadyRecorded: 1,
  storeFailed: 2,
  useVerifierStore: 3,
});

// Phase 1: the pending authentication of a header; throws AjwtError when it is refused already.
export function beginPending(authenticator, header) {
  const h = bytes(header ?? '', 'header');
  return callForHandle((f) => C.authenticate_begin(authenticator, h, h.length, f.ptr, f.err));
}

// The claimed username and the kid (null when none) the host looks keys up for. koffi decodes
// the NUL-terminated text, which is the whole value: the library refuses NULs in claims.
export function pendingClaims(pending) {
  return {
    username: C.pending_username(pending, accessorLength) ?? '',
    kid: C.pending_kid(pending, accessorLength) ?? null,
  };
}

// The host's lookup result as a KeySet (null for an unknown user: the library makes its decoy check).
export async function lookUpKeys({ userExists, userKeys, userJwks }, username, kid) {
  if (userExists && !(await repositoryCall(() => userExists(username)))) {
    return null;
  }
  const keys = new KeySet();
  try {
    addKeysResult(keys.handle, await repositoryCall(() => userKeys(username, kid)));
    // As the one-call form: JWKS endpoints only for a kid the registered keys lack, never without a kid.
    if (userJwks && kid !== null && !hasKid(keys, kid)) {
      addKeysResult(keys.handle, await repositoryCall(() => userJwks(username, kid)), { documents: true });
    }
    return keys;
  } catch (e) {
    keys.free();
    throw e;
  }
}

function hasKid(keys, kid) {
  const match = keys.find(kid);
  match?.free();
  return match !== null;
}

// A repository that throws or rejects refuses the request as the synchronous callbacks do.
async function repositoryCall(fn) {
  try {
    return await fn();
  } catch (cause) {
    throw new AjwtError(Status.AJWT_ERR_CALLBACK_FAILED, `a repository failed: ${cause?.message ?? cause}`, { cause });
  }
}

// Phase 2: signature, registered claims, time window, request binding.
export function verifyPending(pending, keys, now, { method, methodLen, target, targetLen, digest }) {
  call((f) => C.pending_verify(pending, keys ? keys.handle : null, now, method, methodLen, target, targetLen, digest,
    f.err));
}

// Where and how long the host records the nonce.
export function pendingNonce(pending) {
  const key = C.pending_nonce_key(pending, accessorLength);
  return { key, ttl: Number(C.pending_nonce_ttl(pending)) };
}

// Phase 3: the final status for the nonce outcome; on success the new token and key addresses.
export function finishPending(pending, outcome) {
  return outputs(call((f) => C.pending_finish(pending, outcome, f.ptr, f.ptr2, f.err)));
}
