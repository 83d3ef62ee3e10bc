// Keys and key sets.
import { C, FINGERPRINT_SIZE } from './ffi.js';
import { accessorLength, call, callForHandle } from './calls.js';
import { bytes, decodeText, takeString } from './buffers.js';
import { Handle } from './handles.js';
import { algFromName, algName, exportFormats, keyTypeNames, keyTypes, lookup, publicFormats } from './algorithms.js';
import { sign } from './tokens.js';

/** A public or private key (immutable; safe to share). */
export class Key extends Handle {
  constructor(ptr) {
    super(ptr, C.key_free);
  }

  /** Parses a public key: PEM SPKI / PKCS#1, OpenSSH or JWK (`format` 'any' tries all). */
  static loadPublic(text, { format = 'any' } = {}) {
    const buf = bytes(text, 'key text');
    const fmt = lookup(publicFormats, format, 'format');
    return new Key(callForHandle((f) => C.key_load_public(buf, buf.length, fmt, f.ptr, f.err)));
  }

  /** Parses a private key (PKCS#8, traditional PEM, OpenSSH as ssh-keygen writes it), optionally encrypted. */
  static loadPrivate(text, { password } = {}) {
    const buf = bytes(text, 'key text');
    const pw = password === undefined || password === null ? null : bytes(password, 'password');
    return new Key(callForHandle((f) => C.key_load_private(buf, buf.length, pw, pw ? pw.length : 0, f.ptr, f.err)));
  }

  /** Generates a private key: 'rsa', 'ed25519' (default), 'ed448', 'p256', 'p384', 'p521'. */
  static generate(type = 'ed25519', { bits = 0, exponent = 0 } = {}) {
    return new Key(callForHandle((f) => C.key_generate(lookup(keyTypes, type, 'type'), bits, exponent, f.ptr, f.err)));
  }

  /** A new handle on the public half. */
  publicKey() {
    return new Key(callForHandle((f) => C.key_public(this.handle, f.ptr, f.err)));
  }

  get type() {
    return keyTypeNames[C.key_get_type(this.handle)];
  }

  get isPrivate() {
    return C.key_is_private(this.handle) === 1;
  }

  get bits() {
    return C.key_bits(this.handle);
  }

  /** Comment of an OpenSSH key, '' if none. */
  get comment() {
    const ptr = C.key_comment(this.handle, accessorLength);
    return decodeText(ptr, accessorLength[0]);
  }

  /** Lowercase hex SHA-256 of the canonical PEM SPKI text (the token `kid`). */
  get fingerprint() {
    const buf = Buffer.alloc(FINGERPRINT_SIZE);
    call((f) => C.key_fingerprint(this.handle, buf, f.err));
    return buf.toString('latin1', 0, FINGERPRINT_SIZE - 1);
  }

  /** The key's default algorithms, most preferred first, e.g. ['RS512', 'RS384', 'RS256']. */
  get algorithms() {
    const out = new Int32Array(16);
    const n = C.key_algorithms(this.handle, out, out.length);
    return Array.from(out.subarray(0, Math.min(n, out.length)), algName);
  }

  supportsAlgorithm(alg) {
    return C.key_supports_alg(this.handle, algFromName(alg)) === 1;
  }

  /** Exports as 'pem' (public SPKI), 'openssh', 'jwk' (JSON text) or 'pkcs8' (private). */
  export(format = 'pem', { password } = {}) {
    const pw = password === undefined || password === null ? null : bytes(password, 'password');
    const fmt = lookup(exportFormats, format, 'format');
    return takeString((out, outLen, err) =>
      C.key_export(this.handle, fmt, pw, pw ? pw.length : 0, out, outLen, err));
  }

  toPEM() {
    return this.export('pem');
  }

  toOpenSSH() {
    return this.export('openssh');
  }

  /** The public JWK as an object (members as in asymmetric-jwt-auth 1.x). */
  toJWK() {
    return JSON.parse(this.export('jwk'));
  }

  toPKCS8({ password } = {}) {
    return this.export('pkcs8', { password });
  }

  /** True when both hold the same public key. */
  equals(other) {
    return other instanceof Key && C.key_equal(this.handle, other.handle) === 1;
  }

  /** Signs a token for `username`; see sign(). */
  sign(username, options) {
    return sign(this, username, options);
  }
}

// A borrowed key pointer (valid only while its owner lives) becomes an owned Key.
export function ownKey(borrowed) {
  if (!borrowed) {
    return null;
  }
  return new Key(callForHandle((f) => C.key_public(borrowed, f.ptr, f.err)));
}

// ---- key sets ------------------------------------------------------------------------------------
export function addToKeySet(setPtr, item) {
  if (item instanceof Key) {
    call((f) => C.keyset_add(setPtr, item.handle, f.err));
  } else if (item instanceof KeySet) {
    for (const key of item) {
      try {
        call((f) => C.keyset_add(setPtr, key.handle, f.err));
      } finally {
        key.free();
      }
    }
  } else if (item && typeof item === 'object' && 'jwks' in item) {
    const json = bytes(typeof item.jwks === 'string' ? item.jwks : JSON.stringify(item.jwks), 'jwks');
    call((f) => C.keyset_add_jwks(setPtr, json, json.length, f.err));
  } else if (item && typeof item === 'object' && !(item instanceof Uint8Array)) {
    // A JWK object.
    const text = Buffer.from(JSON.stringify(item), 'utf8');
    call((f) => C.keyset_add_text(setPtr, text, text.length, publicFormats.jwk, f.err));
  } else {
    const text = bytes(item, 'key');
    call((f) => C.keyset_add_text(setPtr, text, text.length, publicFormats.any, f.err));
  }
}

// What a key repository returned (one key input, an iterable of them, or null/undefined for
// none) into a key set; `documents`: the items are JWKS documents (a userJwks source).
export function addKeysResult(setPtr, keys, { documents = false } = {}) {
  if (keys === undefined || keys === null) {
    return;
  }
  const items = typeof keys === 'string' || keys instanceof Uint8Array || keys instanceof Key
    || keys instanceof KeySet || !(Symbol.iterator in Object(keys)) ? [keys] : keys;
  for (const item of items) {
    const isDocument = documents && !(item instanceof Key || item instanceof KeySet
      || (item && typeof item === 'object' && 'jwks' in item));
    addToKeySet(setPtr, isDocument ? { jwks: item } : item);
  }
}

/** A set of public keys (a JWK Set). Read concurrently once filled. */
export class KeySet extends Handle {
  constructor(keys = []) {
    super(callForHandle((f) => C.keyset_new(f.ptr, f.err)), C.keyset_free);
    for (const key of keys) {
      this.add(key);
    }
  }

  /** Parses a JWK Set document (string or object); unusable members are skipped (see `skipped`). */
  static fromJWKS(jwks) {
    const set = new KeySet();
    try {
      set.addJWKS(jwks);
    } catch (e) {
      set.free();
      throw e;
    }
    return set;
  }

  /** Adds a public Key, key text (PEM, OpenSSH, JWK JSON) or a JWK object. */
  add(key) {
    addToKeySet(this.handle, key);
    return this;
  }

  addJWKS(jwks) {
    addToKeySet(this.handle, { jwks });
    return this;
  }

  get size() {
    return Number(C.keyset_count(this.handle));
  }

  /** Member `index` as a new Key handle, or null. */
  get(index) {
    return ownKey(C.keyset_get(this.handle, index));
  }

  /** The member whose kid (JWK kid, else fingerprint) matches, as a new Key, or null. */
  find(kid) {
    const buf = bytes(kid, 'kid');
    return ownKey(C.keyset_find(this.handle, buf, buf.length));
  }

  /** Why each skipped JWKS member was skipped. */
  get skipped() {
    const n = Number(C.keyset_skipped_count(this.handle));
    return Array.from({ length: n }, (_, i) => C.keyset_skipped_reason(this.handle, i));
  }

  /** The set as a JWK Set document (JSON text). */
  toJWKS() {
    return takeString((out, outLen, err) => C.keyset_to_jwks(this.handle, out, outLen, err));
  }

  *[Symbol.iterator]() {
    const n = this.size;
    for (let i = 0; i < n; i++) {
      yield this.get(i);
    }
  }
}
