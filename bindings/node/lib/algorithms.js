// Algorithm names, key types and key formats.
import { C } from './ffi.js';
import { AjwtError, Status } from './errors.js';
import { bytes } from './buffers.js';

export function algFromName(name) {
  if (name === undefined || name === null) {
    return 0;
  }
  const buf = bytes(name, 'alg');
  const alg = C.alg_from_name(buf, buf.length);
  if (alg === 0) {
    throw new AjwtError(Status.AJWT_ERR_INVALID_ARGUMENT, `unknown algorithm '${name}'`);
  }
  return alg;
}

// Names are static in the library, so each is asked for once (a call saved per token).
const algNames = new Map();

export function algName(alg) {
  let name = algNames.get(alg);
  if (name === undefined) {
    name = C.alg_name(alg) ?? null;
    algNames.set(alg, name);
  }
  return name;
}

export const keyTypes = { rsa: 1, ed25519: 2, ed448: 3, p256: 4, p384: 5, p521: 6 };
export const keyTypeNames = Object.fromEntries(Object.entries(keyTypes).map(([k, v]) => [v, k]));
export const publicFormats = { any: 0, pem: 1, openssh: 2, jwk: 3 };
export const exportFormats = { pem: 1, openssh: 2, jwk: 3, pkcs8: 4 };

export function lookup(table, name, what) {
  const value = table[name];
  if (value === undefined) {
    throw new AjwtError(Status.AJWT_ERR_INVALID_ARGUMENT,
      `${what}: '${name}' is not one of ${Object.keys(table).join(', ')}`);
  }
  return value;
}
