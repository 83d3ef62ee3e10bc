// The client side: a fetch that signs each request it sends with a fresh token.
import { Key } from './keys.js';
import { sign, authHeader } from './tokens.js';
import { signRequest } from './binding.js';

// The body as signed bytes, for a bound token: only bodies whose bytes are known before sending.
function bodyBytes(body) {
  if (body === undefined || body === null) {
    return '';
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    return body;
  }
  if (body instanceof ArrayBuffer) {
    return new Uint8Array(body);
  }
  if (body instanceof URLSearchParams) {
    return body.toString();
  }
  throw new TypeError('a request bound to its body needs a string, Uint8Array, ArrayBuffer or URLSearchParams body');
}

/**
 * A fetch(input, init) that adds `Authorization: JWT <token>`, a new token (new nonce, current
 * time) per call, signed by `privateKey` as `username`. With `bind: true` the token is also
 * bound to the request's method, URL and body (Verifier#setBinding on the server); `audience`
 * names the service the token is for. `fetch` defaults to the global fetch.
 */
export function signedFetch(privateKey, username, { fetch = globalThis.fetch, bind = false, audience, method = 'JWT' } = {}) {
  if (!(privateKey instanceof Key)) {
    throw new TypeError('privateKey must be a Key');
  }
  if (typeof fetch !== 'function') {
    throw new TypeError('fetch must be a function');
  }
  return function fetchSigned(input, init = {}) {
    const request = input instanceof Request ? input : null;
    if (bind && request?.body) {
      throw new TypeError('a bound request takes its body in init, not in a Request object');
    }
    const token = bind || audience !== undefined
      ? signRequest(privateKey, username, bind ? {
        method: init.method ?? request?.method ?? 'GET',
        target: request ? request.url : String(input),
        body: bodyBytes(init.body),
        audience,
      } : { audience })
      : sign(privateKey, username);
    const headers = new Headers(init.headers ?? request?.headers);
    headers.set('authorization', authHeader(token, method));
    return fetch(input, { ...init, headers });
  };
}
