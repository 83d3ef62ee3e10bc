// Behaviour of the binding's fast paths: claims read straight from koffi's string decoding,
// reused call frames (error struct and out-pointers, one per nesting depth), the reused buffer
// for token text, and tokens parsed inside verify()/authenticate() that are freed at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator, Key, NonceStore, Token, Verifier, signHeader } from '../index.js';
import { rejects } from './helpers.js';

const T = 1700000000;
const ODD = 'ünïcødé ✓ 🎉 "q" \\ \t\n\u2028 <>&\'';

const b64 = (value) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
// Unsigned token text: enough for parse, which checks structure and claims only.
const craft = (header, payload) => `${b64(header)}.${b64(payload)}.c2ln`;

test('non-ASCII and odd characters in claims round-trip through parse, verify and authenticate', () => {
  const key = Key.generate('ed25519');
  const pub = key.publicKey();
  const verifier = new Verifier();
  const token = key.sign(ODD, { time: T, nonce: `${ODD}🔑` });
  const expected = { username: ODD, time: T, nonce: `${ODD}🔑`, alg: 'EdDSA', kid: pub.fingerprint };

  const parsed = Token.parse(token);
  assert.deepEqual({ ...parsed }, expected);
  const fromString = verifier.verify(token, pub, { now: T });
  assert.deepEqual({ ...fromString, key: undefined }, { ...expected, key: undefined });
  assert.equal(fromString.key, pub);
  const fromBytes = verifier.verify(Buffer.from(token), pub, { now: T });
  assert.equal(fromBytes.username, ODD);

  let seen;
  const auth = new Authenticator({ verifier, userKeys: (username) => { seen = username; return pub; } });
  const result = auth.authenticate(signHeader(key, ODD, { time: T, nonce: 'n1' }), { now: T });
  assert.equal(seen, ODD); // callback strings are decoded by length, exactly
  assert.equal(result.username, ODD);
  assert.equal(result.key.fingerprint, pub.fingerprint);
  for (const h of [result.key, auth, parsed, verifier, pub, key]) h.free();
});

test('a header without kid reads as null; claims holding a NUL are refused at parse', () => {
  const claims = { username: 'u', time: T, nonce: 'n' };
  assert.equal(Token.parse(craft({ alg: 'EdDSA', typ: 'JWT' }, claims)).kid, null);
  // readClaims takes the NUL-terminated text as the whole claim: the library must refuse NULs.
  rejects(assert, () => Token.parse(craft({ alg: 'EdDSA' }, { ...claims, username: 'a\u0000b' })),
    'AJWT_ERR_TOKEN_CLAIMS');
  rejects(assert, () => Token.parse(craft({ alg: 'EdDSA' }, { ...claims, nonce: 'n\u0000' })),
    'AJWT_ERR_TOKEN_CLAIMS');
  assert.throws(() => Token.parse(craft({ alg: 'EdDSA', kid: 'k\u0000' }, claims)),
    (e) => e.name === 'AjwtError' && /^AJWT_ERR_TOKEN_(HEADER|CLAIMS)$/.test(e.code));
});

test('a Token given to verify() stays the caller\'s; once freed it cannot be used', () => {
  const key = Key.generate('ed25519');
  const verifier = new Verifier();
  const token = Token.parse(key.sign('alice', { time: T }));
  assert.equal(verifier.verify(token, key, { now: T }).username, 'alice');
  assert.equal(token.freed, false);
  assert.equal(verifier.verify(token, key, { now: T }).username, 'alice'); // still usable
  token.free();
  rejects(assert, () => verifier.verify(token, key, { now: T }), 'AJWT_ERR_INVALID_ARGUMENT');
  verifier.free();
  key.free();
});

test('verify() of token text leaves nothing behind, success or failure', () => {
  const key = Key.generate('ed25519');
  const verifier = new Verifier();
  const token = key.sign('alice', { time: T });
  for (let i = 0; i < 2000; i++) {
    verifier.verify(token, key, { now: T });
    rejects(assert, () => verifier.verify(token, key, { now: T + 100 }), 'AJWT_ERR_TOKEN_EXPIRED');
  }
  // A bad argument after parsing still frees the token and leaves the binding usable.
  assert.throws(() => verifier.verify(token, 'not a key', { now: T }), TypeError);
  assert.throws(() => verifier.verify(token, key, { now: 1.5 }), TypeError);
  assert.equal(verifier.verify(token, key, { now: T }).time, T);
  verifier.free();
  key.free();
});

test('error messages come from the failing call, never a stale one', () => {
  const key = Key.generate('ed25519');
  const verifier = new Verifier();
  const expired = (() => {
    try {
      verifier.verify(key.sign('alice', { time: T }), key, { now: T + 100 });
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.equal(expired.code, 'AJWT_ERR_TOKEN_EXPIRED');
  assert.ok(expired.message.length > 0);
  const format = (() => {
    try {
      verifier.parse('abc');
    } catch (e) {
      return e;
    }
    return null;
  })();
  assert.equal(format.code, 'AJWT_ERR_TOKEN_FORMAT');
  assert.notEqual(format.message, expired.message);
  assert.ok(!format.message.includes(expired.message));
  verifier.free();
  key.free();
});

test('token text of every size and kind: scratch buffer, large strings, bytes, empty', () => {
  const verifier = new Verifier({ maxTokenSize: 65536 });
  // Longer than the reused buffer holds: encoded separately, same outcome.
  rejects(assert, () => verifier.parse('a'.repeat(20000)), 'AJWT_ERR_TOKEN_FORMAT');
  rejects(assert, () => verifier.parse(Buffer.from('a'.repeat(20000))), 'AJWT_ERR_TOKEN_FORMAT');
  rejects(assert, () => Token.parse('a'.repeat(9000)), 'AJWT_ERR_TOKEN_TOO_LARGE');
  // Empty input is (non-NULL, 0): the token's own status, not an invalid argument.
  const empty = (fn) => assert.throws(fn, (e) => e.name === 'AjwtError' && e.code !== 'AJWT_ERR_INVALID_ARGUMENT');
  empty(() => verifier.parse(''));
  empty(() => verifier.parse(new Uint8Array(0)));
  // A short parse after a long one sees only its own text.
  const key = Key.generate('ed25519');
  const token = key.sign('bob', { time: T });
  assert.throws(() => verifier.parse(`${token}${'x'.repeat(3000)}`));
  assert.equal(verifier.parse(token).username, 'bob');
  // Non-ASCII text is encoded as UTF-8, as a Buffer of it would be.
  const accented = `${token.slice(0, -1)}é`;
  rejects(assert, () => Token.parse(accented), 'AJWT_ERR_TOKEN_BASE64');
  rejects(assert, () => Token.parse(Buffer.from(accented)), 'AJWT_ERR_TOKEN_BASE64');
  verifier.free();
  key.free();
});

test('library calls made from callbacks do not disturb the call that runs them', () => {
  const key = Key.generate('ed25519');
  const pub = key.publicKey();
  const pem = pub.toPEM();
  // The nonce callback runs inside ajwt_verify; it makes calls that succeed and fail.
  const store = NonceStore.fromCallback(() => {
    Key.loadPublic(pem).free();
    rejects(assert, () => Token.parse('nested.failure'), 'AJWT_ERR_TOKEN_FORMAT');
    return true;
  });
  const verifier = new Verifier({ nonceStore: store });
  assert.equal(verifier.verify(key.sign('carol', { time: T }), pub, { now: T }).username, 'carol');

  // userKeys runs inside ajwt_authenticate, whose two out-pointers are written afterwards.
  const auth = new Authenticator({
    verifier,
    userKeys: (username) => {
      rejects(assert, () => Key.loadPublic('junk'), 'AJWT_ERR_KEY_PARSE');
      const nested = Token.parse(key.sign(`${username}-nested`, { time: T }));
      assert.equal(nested.username, `${username}-nested`);
      nested.free();
      return Key.loadPublic(pem);
    },
  });
  const result = auth.authenticate(signHeader(key, 'dave', { time: T, nonce: 'n2' }), { now: T });
  assert.deepEqual([result.username, result.time, result.nonce, result.alg], ['dave', T, 'n2', 'EdDSA']);
  assert.equal(result.key.fingerprint, pub.fingerprint);
  // And a failure from a callback keeps its cause through the reused error struct.
  const failing = new Authenticator({ verifier, userKeys: () => { throw new RangeError('repo down'); } });
  assert.throws(() => failing.authenticate(signHeader(key, 'erin', { time: T, nonce: 'n3' }), { now: T }), (e) => {
    assert.equal(e.code, 'AJWT_ERR_CALLBACK_FAILED');
    assert.ok(e.cause instanceof RangeError);
    return true;
  });
  for (const h of [result.key, failing, auth, verifier, store, pub, key]) h.free();
});
