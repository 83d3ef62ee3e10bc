// Statuses and the exception they become.
import { C } from './ffi.js';

/** Status numbers by name, exactly as in ajwt.h. */
export const Status = Object.freeze({
  AJWT_OK: 0,
  AJWT_ERR_INVALID_ARGUMENT: 1,
  AJWT_ERR_OUT_OF_MEMORY: 2,
  AJWT_ERR_INTERNAL: 3,
  AJWT_ERR_CALLBACK_FAILED: 4,
  AJWT_ERR_KEY_PARSE: 10,
  AJWT_ERR_KEY_UNSUPPORTED: 11,
  AJWT_ERR_KEY_TOO_SMALL: 12,
  AJWT_ERR_KEY_TOO_LARGE: 13,
  AJWT_ERR_PASSWORD_REQUIRED: 14,
  AJWT_ERR_WRONG_PASSWORD: 15,
  AJWT_ERR_ENCRYPTED_OPENSSH_KEY: 16,
  AJWT_ERR_NOT_PRIVATE_KEY: 17,
  AJWT_ERR_PRIVATE_KEY_GIVEN: 18,
  AJWT_ERR_JWKS_PARSE: 19,
  AJWT_ERR_JWKS_FETCH: 20,
  AJWT_ERR_TOKEN_TOO_LARGE: 30,
  AJWT_ERR_TOKEN_FORMAT: 31,
  AJWT_ERR_TOKEN_BASE64: 32,
  AJWT_ERR_TOKEN_JSON: 33,
  AJWT_ERR_TOKEN_HEADER: 34,
  AJWT_ERR_TOKEN_CLAIMS: 35,
  AJWT_ERR_TOKEN_TIME: 36,
  AJWT_ERR_ALGORITHM_NOT_ALLOWED: 40,
  AJWT_ERR_BAD_SIGNATURE: 41,
  AJWT_ERR_TOKEN_EXPIRED: 42,
  AJWT_ERR_TOKEN_FROM_FUTURE: 43,
  AJWT_ERR_NONCE_REPLAYED: 44,
  AJWT_ERR_NONCE_STORE_FULL: 45,
  AJWT_ERR_NO_AUTH_HEADER: 50,
  AJWT_ERR_WRONG_AUTH_METHOD: 51,
  AJWT_ERR_UNKNOWN_USER: 52,
  AJWT_ERR_NO_MATCHING_KEY: 53,
  AJWT_ERR_TOKEN_EXP_PASSED: 60,
  AJWT_ERR_TOKEN_NOT_YET_VALID: 61,
  AJWT_ERR_TOKEN_IAT_FUTURE: 62,
  AJWT_ERR_TOKEN_AUDIENCE: 63,
  AJWT_ERR_TOKEN_REGISTERED_CLAIM: 64,
  AJWT_ERR_BINDING_METHOD: 80,
  AJWT_ERR_BINDING_TARGET: 81,
  AJWT_ERR_BINDING_BODY: 82,
  AJWT_ERR_BINDING_AUDIENCE: 83,
  AJWT_ERR_BINDING_REQUIRED: 84,
});

/** Token policies (ajwt_compat): 'strict' (default) or '1.x' (what asymmetric-jwt-auth 1.x accepts). */
export const Compat = Object.freeze({ strict: 0, '1.x': 1 });

/** Request-binding policies (ajwt_binding_policy): 'off' (default), 'when-present', 'required'. */
export const Binding = Object.freeze({ off: 0, 'when-present': 1, required: 2 });
const statusNames = new Map(Object.entries(Status).map(([name, value]) => [value, name]));

/** A failure status of libajwt: `code` is the status name, `status` its number. */
export class AjwtError extends Error {
  constructor(status, message, options) {
    super(message || C.status_str(status), options);
    this.name = 'AjwtError';
    this.status = status;
    this.code = statusNames.get(status) ?? `AJWT_STATUS_${status}`;
  }
}
