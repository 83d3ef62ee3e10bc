// ajwt — Node binding of libajwt (asymmetric-key JWT authentication), a thin layer over the
// C ABI in include/ajwt.h loaded with koffi. All protocol logic lives in the library;
// the modules in lib/ only convert types, own handles and turn statuses into exceptions:
//   ffi.js      loading and the C declarations     calls.js      call frames, statuses
//   errors.js   Status, AjwtError                  buffers.js    text and int64 in and out
//   handles.js  handle lifetime                    algorithms.js alg, key type and format names
//   keys.js     Key, KeySet                        tokens.js     signing, Token
//   callbacks.js  JS functions the library calls   nonce.js      NonceStore
//   verifier.js   Verifier, verify                 authenticator.js  Authenticator
//   binding.js    request binding (signRequest, Verifier#setBinding/#verifyRequest; Authenticator#authenticateRequest uses it)
//   pending.js    two-phase authentication (Authenticator#authenticateAsync)
//   middleware.js Express/Connect middleware     fastify.js    Fastify plugin
//   fetch.js      signedFetch (client)           redis.js      RedisNonceStore (shared nonces)
//   jwks.js       JwksCache (keys of JWKS URLs over fetch)
import { C, libraryPath } from './lib/ffi.js';

export { Status, AjwtError, Binding } from './lib/errors.js';
export { Key, KeySet } from './lib/keys.js';
export { now, generateNonce, sign, authHeader, signHeader, Token, parseToken, claimedUsername } from './lib/tokens.js';
export { NonceStore, nonceKey } from './lib/nonce.js';
export { Verifier, verify } from './lib/verifier.js';
export { Authenticator } from './lib/authenticator.js';
export { signRequest } from './lib/binding.js';
export { authMiddleware, BodyTooLarge } from './lib/middleware.js';
export { ajwtFastify } from './lib/fastify.js';
export { signedFetch } from './lib/fetch.js';
export { RedisNonceStore, NonceStoreUnavailable } from './lib/redis.js';
export { JwksCache } from './lib/jwks.js';

/** Version of the loaded libajwt, e.g. "0.1.0". */
export function version() {
  return C.version();
}

export function versionNumber() {
  return C.version_number();
}

/** Static English text for a status number. */
export function statusText(status) {
  return C.status_str(status);
}

/** Path or name the library was loaded from. */
export const libraryFile = libraryPath;
