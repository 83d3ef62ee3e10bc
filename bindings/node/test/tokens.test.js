import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Key, KeySet, Token, Verifier, sign, verify, authHeader, signHeader, parseToken, claimedUsername,
  generateNonce, now,
} from '../index.js';
import { compat, rejects } from './helpers.js';

const T = compat.token.payload_example.time;

function b64json(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

test('compat: token layout — header {alg, typ, kid}, claims {username, time, nonce}', () => {
  const rsa = Key.loadPrivate(compat.private_keys.rsa_pkcs8_pem.text);
  const { username, time, nonce } = compat.token.payload_example;
  const token = sign(rsa, username, { time, nonce });
  const [header, payload] = token.split('.');
  assert.deepEqual(b64json(header), { alg: 'RS512', typ: 'JWT', kid: compat.public_keys.rsa_pem.fingerprint });
  assert.deepEqual(b64json(payload), { username, time, nonce });

  const ed = Key.generate('ed25519');
  assert.equal(b64json(ed.sign('guido').split('.')[0]).alg, 'EdDSA');
  assert.equal(authHeader(token), `JWT ${token}`);
  rsa.free();
  ed.free();
});

test('generateNonce gives 11 base64url characters, fresh each time', () => {
  const a = generateNonce();
  assert.match(a, /^[A-Za-z0-9_-]{11}$/);
  assert.notEqual(a, generateNonce());
});

test('parse and claimed username without verifying', () => {
  const key = Key.generate();
  const token = key.sign('alice', { time: T, nonce: 'n1' });
  assert.equal(claimedUsername(token), 'alice');
  const parsed = parseToken(token);
  assert.deepEqual({ u: parsed.username, t: parsed.time, n: parsed.nonce, a: parsed.alg, k: parsed.kid },
    { u: 'alice', t: T, n: 'n1', a: 'EdDSA', k: key.fingerprint });
  parsed.free();
  rejects(assert, () => parseToken('a.b'), 'AJWT_ERR_TOKEN_FORMAT');
  rejects(assert, () => parseToken('a.b.c'), 'AJWT_ERR_TOKEN_BASE64');
  rejects(assert, () => parseToken('x'.repeat(9000)), 'AJWT_ERR_TOKEN_TOO_LARGE');
  rejects(assert, () => claimedUsername(''), 'AJWT_ERR_TOKEN_FORMAT');
  // Unicode user names survive the (pointer, length) round trip.
  assert.equal(claimedUsername(key.sign('zoë ✓', { nonce: 'x' })), 'zoë ✓');
  key.free();
});

test('verify with a key: good, bad signature, expired, from the future', () => {
  const key = Key.generate('ed25519');
  const pub = key.publicKey();
  const token = key.sign('alice', { time: T, nonce: 'n' });
  const ok = verify(token, pub, { now: T + 20 });
  assert.equal(ok.username, 'alice');
  assert.equal(ok.time, T);
  assert.equal(ok.key, pub);

  const other = Key.generate('ed25519');
  rejects(assert, () => verify(token, other, { now: T }), 'AJWT_ERR_BAD_SIGNATURE');
  rejects(assert, () => verify(token, pub, { now: T + 21 }), 'AJWT_ERR_TOKEN_EXPIRED');
  rejects(assert, () => verify(token, pub, { now: T - 21 }), 'AJWT_ERR_TOKEN_FROM_FUTURE');
  assert.equal(verify(token, pub, { now: T + 100, tolerance: 100 }).username, 'alice');

  // A tampered payload fails the signature.
  const [h, , s] = token.split('.');
  const forged = [h, Buffer.from(JSON.stringify({ username: 'root', time: T, nonce: 'n' })).toString('base64url'), s].join('.');
  rejects(assert, () => verify(forged, pub, { now: T }), 'AJWT_ERR_BAD_SIGNATURE');
  // An RSA key cannot verify an EdDSA token.
  const rsa = Key.loadPublic(compat.public_keys.rsa_pem.text);
  rejects(assert, () => verify(token, rsa, { now: T }), 'AJWT_ERR_ALGORITHM_NOT_ALLOWED');
  for (const k of [key, pub, other, rsa]) {
    k.free();
  }
});

test('verify with the current clock by default', () => {
  const key = Key.generate();
  assert.ok(Math.abs(now() - Date.now() / 1000) < 5);
  assert.equal(verify(key.sign('bob'), key).username, 'bob');
  key.free();
});

test('verify with a key set: the kid member is used and returned', () => {
  const keys = [Key.generate('ed25519'), Key.generate('p256'), Key.generate('ed25519')];
  const set = new KeySet(keys.map((k) => k.publicKey()));
  const result = verify(keys[1].sign('carol', { time: T }), set, { now: T });
  assert.equal(result.username, 'carol');
  assert.equal(result.key.fingerprint, keys[1].fingerprint);
  const stranger = Key.generate('ed25519');
  rejects(assert, () => verify(stranger.sign('carol', { time: T }), set, { now: T }), 'AJWT_ERR_BAD_SIGNATURE');
  set.free();
});

test('algorithm policy: PS256 only when allowed, never alg none', () => {
  const rsa = Key.loadPrivate(compat.private_keys.rsa_pkcs8_pem.text);
  const pss = rsa.sign('dave', { time: T, alg: 'PS256' });
  assert.equal(b64json(pss.split('.')[0]).alg, 'PS256');
  rejects(assert, () => verify(pss, rsa, { now: T }), 'AJWT_ERR_ALGORITHM_NOT_ALLOWED');
  assert.equal(verify(pss, rsa, { now: T, algorithms: ['PS256'] }).alg, 'PS256');
  rejects(assert, () => new Verifier({ algorithms: ['none'] }), 'AJWT_ERR_INVALID_ARGUMENT');
  rejects(assert, () => rsa.sign('x', { alg: 'EdDSA' }), 'AJWT_ERR_ALGORITHM_NOT_ALLOWED');

  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ username: 'x', time: T, nonce: 'n' })).toString('base64url');
  assert.throws(() => verify(`${header}.${body}.AAAA`, rsa, { now: T }), (e) => e.code.startsWith('AJWT_ERR_'));
  rsa.free();
});

test('signing needs a private key; header helpers', () => {
  const pub = Key.loadPublic(compat.public_keys.ed25519_pem.text);
  rejects(assert, () => sign(pub, 'x'), 'AJWT_ERR_NOT_PRIVATE_KEY');
  // An empty username is signed (as asymmetric-jwt-auth 1.x signs it); parsing refuses it.
  rejects(assert, () => parseToken(sign(Key.generate(), '')), 'AJWT_ERR_TOKEN_CLAIMS');
  assert.throws(() => sign('not a key', 'x'), TypeError);
  const key = Key.generate();
  assert.match(signHeader(key, 'eve', { method: 'Bearer' }), /^Bearer ey/);
  const verifier = new Verifier({ maxTokenSize: 64 });
  rejects(assert, () => verifier.parse(key.sign('eve')), 'AJWT_ERR_TOKEN_TOO_LARGE');
  verifier.free();
  const t = Token.parse(key.sign('eve'));
  assert.equal(verify(t, key).username, 'eve');
  assert.equal(t.freed, false); // a Token passed in stays the caller's
  t.free();
});
