import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator, Key, KeySet, NonceStore, Verifier, authHeader, signHeader } from '../index.js';
import { rejects } from './helpers.js';

const T = 1439216312;

// An in-memory repository: users with key texts (PEM / OpenSSH / JWK) and JWKS documents.
function repository() {
  const alice = Key.generate('ed25519');
  const aliceOld = Key.generate('p256');
  const bob = Key.generate('rsa');
  const jwksOnly = Key.generate('ed25519');
  const users = new Map([
    ['alice', { keys: [aliceOld.publicKey().toPEM(), alice.publicKey().toOpenSSH()], jwks: [] }],
    ['bob', { keys: [bob.publicKey()], jwks: [] }],
    ['carol', { keys: [], jwks: [JSON.stringify({ keys: [jwksOnly.toJWK()] })] }],
  ]);
  const log = [];
  const repo = {
    userExists: (username) => users.has(username),
    userKeys: (username, kid) => {
      log.push(['keys', username, kid]);
      return users.get(username)?.keys ?? [];
    },
    userJwks: (username, kid) => {
      log.push(['jwks', username, kid]);
      return users.get(username)?.jwks ?? [];
    },
    keyUsed: (username, key) => log.push(['used', username, key.fingerprint]),
  };
  return { alice, aliceOld, bob, jwksOnly, repo, log, users };
}

test('authenticates a header with JS repositories and reports the key used', () => {
  const { alice, aliceOld, bob, repo, log } = repository();
  const auth = new Authenticator({ ...repo, nonceStore: NonceStore.memory() });
  const result = auth.authenticate(signHeader(alice, 'alice', { time: T }), { now: T });
  assert.equal(result.username, 'alice');
  assert.equal(result.key.fingerprint, alice.fingerprint);
  assert.deepEqual(log.at(-1), ['used', 'alice', alice.fingerprint]);
  assert.deepEqual(log[0], ['keys', 'alice', alice.fingerprint]); // the kid is the hint
  assert.equal(auth.authenticate(signHeader(aliceOld, 'alice', { time: T }), { now: T }).username, 'alice');
  assert.equal(auth.authenticate(signHeader(bob, 'bob', { time: T }), { now: T }).alg, 'RS512');
  auth.free();
});

test('each failure has its status code', () => {
  const { alice, bob, repo } = repository();
  const auth = new Authenticator({ ...repo, nonceStore: NonceStore.memory() });
  const header = signHeader(alice, 'alice', { time: T });
  rejects(assert, () => auth.authenticate('', { now: T }), 'AJWT_ERR_NO_AUTH_HEADER');
  rejects(assert, () => auth.authenticate(header.replace('JWT', 'Bearer'), { now: T }), 'AJWT_ERR_WRONG_AUTH_METHOD');
  rejects(assert, () => auth.authenticate('JWT abc', { now: T }), 'AJWT_ERR_TOKEN_FORMAT');
  rejects(assert, () => auth.authenticate(signHeader(alice, 'mallory', { time: T }), { now: T }), 'AJWT_ERR_UNKNOWN_USER');
  // bob's name, alice's key: bob's keys do not verify it.
  assert.throws(() => auth.authenticate(signHeader(alice, 'bob', { time: T }), { now: T }),
    (e) => ['AJWT_ERR_NO_MATCHING_KEY', 'AJWT_ERR_BAD_SIGNATURE', 'AJWT_ERR_ALGORITHM_NOT_ALLOWED'].includes(e.code));
  rejects(assert, () => auth.authenticate(header, { now: T + 21 }), 'AJWT_ERR_TOKEN_EXPIRED');
  assert.equal(auth.authenticate(header, { now: T }).username, 'alice');
  rejects(assert, () => auth.authenticate(header, { now: T }), 'AJWT_ERR_NONCE_REPLAYED');
  assert.equal(auth.authenticate(signHeader(bob, 'bob', { time: T }), { now: T }).username, 'bob');
  auth.free();
});

test('JWKS source is asked only when the registered keys have no kid match', () => {
  const { alice, jwksOnly, repo, log } = repository();
  const auth = new Authenticator(repo);
  assert.equal(auth.authenticate(signHeader(jwksOnly, 'carol', { time: T }), { now: T }).username, 'carol');
  assert.ok(log.some(([what, user]) => what === 'jwks' && user === 'carol'));
  log.length = 0;
  auth.authenticate(signHeader(alice, 'alice', { time: T }), { now: T });
  assert.ok(!log.some(([what]) => what === 'jwks'));
  auth.free();
  // A JWKS source may also return one document as an object.
  const objects = new Authenticator({ userKeys: () => [], userJwks: () => ({ keys: [jwksOnly.toJWK()] }) });
  assert.equal(objects.authenticate(signHeader(jwksOnly, 'dan', { time: T }), { now: T }).username, 'dan');
  objects.free();
});

test('custom method word and a shared verifier policy', () => {
  const { alice, repo } = repository();
  const verifier = new Verifier({ tolerance: 300 });
  const auth = new Authenticator({ ...repo, verifier, method: 'Token' });
  verifier.free(); // the authenticator copied the policy
  const header = authHeader(alice.sign('alice', { time: T }), 'Token');
  assert.equal(auth.authenticate(header, { now: T + 250 }).username, 'alice');
  assert.equal(auth.authenticate(header.replace('Token', 'token'), { now: T }).username, 'alice');
  rejects(assert, () => auth.authenticate(`JWT ${alice.sign('alice')}`), 'AJWT_ERR_WRONG_AUTH_METHOD');
  auth.free();
});

test('repositories may return KeySets, JWK objects and single values', () => {
  const a = Key.generate();
  const b = Key.generate();
  const c = Key.generate('p384');
  const set = new KeySet([a.publicKey()]);
  const keysFor = { a: set, b: b.toJWK(), c: c.publicKey().toPEM() };
  const auth = new Authenticator({ userKeys: (u) => keysFor[u] });
  for (const [user, key] of [['a', a], ['b', b], ['c', c]]) {
    assert.equal(auth.authenticate(signHeader(key, user, { time: T }), { now: T }).username, user);
  }
  rejects(assert, () => auth.authenticate(signHeader(a, 'nobody', { time: T }), { now: T }), 'AJWT_ERR_NO_MATCHING_KEY');
  auth.free();
});

test('exceptions in repositories never unwind through C: CALLBACK_FAILED with cause', () => {
  const key = Key.generate();
  const header = signHeader(key, 'alice', { time: T });
  const errors = {
    userExists: () => {
      throw new Error('users table missing');
    },
    userKeys: () => {
      throw new Error('keys table missing');
    },
  };
  for (const [which, fn] of Object.entries(errors)) {
    const auth = new Authenticator({ userKeys: () => [key.publicKey()], [which]: fn });
    assert.throws(() => auth.authenticate(header, { now: T }), (e) => {
      assert.equal(e.code, 'AJWT_ERR_CALLBACK_FAILED', which);
      assert.match(e.cause.message, /table missing/);
      return true;
    });
    auth.free();
  }
  // A bad key text from the repository is reported the same way, with the parse error as cause.
  const bad = new Authenticator({ userKeys: () => ['not a key'] });
  assert.throws(() => bad.authenticate(header, { now: T }), (e) => {
    assert.equal(e.code, 'AJWT_ERR_CALLBACK_FAILED');
    assert.equal(e.cause.code, 'AJWT_ERR_KEY_PARSE');
    return true;
  });
  // A throwing keyUsed hook cannot un-authenticate a verified request (void callback).
  const quiet = new Authenticator({
    userKeys: () => [key.publicKey()],
    keyUsed: () => {
      throw new Error('ignored');
    },
  });
  assert.equal(quiet.authenticate(header, { now: T }).username, 'alice');
  assert.throws(() => new Authenticator({}), TypeError);
  bad.free();
  quiet.free();
});
