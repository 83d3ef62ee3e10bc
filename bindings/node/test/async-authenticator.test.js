// Authenticator#authenticateAsync: the two-phase ABI with repositories that return Promises and a
// shared nonce store the host awaits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Authenticator, Key, NonceStore, signHeader, signRequest, authHeader, nonceKey, Verifier } from '../index.js';

const T = 1700000000;

// Keys answered a tick later, as a database client would.
function asyncRepository() {
  const alice = Key.generate('ed25519');
  const bob = Key.generate('p256');
  const users = new Map([['alice', [alice.publicKey().toPEM()]], ['bob', [bob.publicKey()]]]);
  const asked = [];
  return {
    alice,
    bob,
    asked,
    repo: {
      userExists: async (username) => { await sleep(1); return users.has(username); },
      userKeys: async (username, kid) => { asked.push([username, kid]); await sleep(1); return users.get(username); },
    },
  };
}

// A shared store in a Map, answering asynchronously: what a Redis client does.
function mapStore() {
  const seen = new Map();
  return {
    seen,
    record: async (key, ttl) => {
      await sleep(1);
      if (seen.has(key)) {
        return false;
      }
      seen.set(key, ttl);
      return true;
    },
  };
}

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, 'AjwtError');
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return true;
  });
}

test('a repository returning Promises authenticates; the sync call refuses it with CALLBACK_FAILED', async () => {
  const { alice, repo, asked } = asyncRepository();
  const auth = new Authenticator({ ...repo, nonceStore: NonceStore.memory() });
  const header = signHeader(alice, 'alice', { time: T });
  assert.throws(() => auth.authenticate(header, { now: T }), (e) => e.code === 'AJWT_ERR_CALLBACK_FAILED');
  const result = await auth.authenticateAsync(signHeader(alice, 'alice', { time: T }), { now: T });
  assert.equal(result.username, 'alice');
  assert.equal(result.key.fingerprint, alice.fingerprint);
  assert.deepEqual(asked.at(-1), ['alice', alice.fingerprint]); // the kid is the hint
  auth.free();
});

test('the shared store gets the library nonce key and ttl; a replay is refused', async () => {
  const { alice, repo } = asyncRepository();
  const store = mapStore();
  const verifier = new Verifier({ tolerance: 7 });
  const auth = new Authenticator({ ...repo, verifier, sharedNonceStore: store });
  const token = alice.sign('alice', { time: T, nonce: 'n-1' });
  const header = authHeader(token);
  assert.equal((await auth.authenticateAsync(header, { now: T })).nonce, 'n-1');
  assert.deepEqual([...store.seen], [[nonceKey('alice', T, 'n-1'), verifier.nonceTtl]]);
  assert.equal(verifier.nonceTtl, 15); // 2 * tolerance + 1
  await rejectsWith(auth.authenticateAsync(header, { now: T }), 'AJWT_ERR_NONCE_REPLAYED');
  auth.free();
  verifier.free();
});

test('concurrent requests with one token: exactly one wins', async () => {
  const { alice, repo } = asyncRepository();
  const auth = new Authenticator({ ...repo, sharedNonceStore: mapStore() });
  const header = signHeader(alice, 'alice', { time: T });
  const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => auth.authenticateAsync(header, { now: T })));
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
  for (const o of outcomes.filter((x) => x.status === 'rejected')) {
    assert.equal(o.reason.code, 'AJWT_ERR_NONCE_REPLAYED');
  }
  auth.free();
});

test('without a shared store the verifier store records (sync and async share it)', async () => {
  const { alice, repo } = asyncRepository();
  const auth = new Authenticator({ ...repo, nonceStore: NonceStore.memory() });
  const header = signHeader(alice, 'alice', { time: T });
  assert.equal((await auth.authenticateAsync(header, { now: T })).username, 'alice');
  await rejectsWith(auth.authenticateAsync(header, { now: T }), 'AJWT_ERR_NONCE_REPLAYED');
  auth.free();
});

test('a failing shared store refuses (fail closed) with its error as cause', async () => {
  const { alice, repo } = asyncRepository();
  const down = new Error('connection refused');
  const auth = new Authenticator({ ...repo, sharedNonceStore: { record: async () => { throw down; } } });
  await assert.rejects(auth.authenticateAsync(signHeader(alice, 'alice', { time: T }), { now: T }), (e) => {
    assert.equal(e.name, 'AjwtError');
    assert.equal(e.code, 'AJWT_ERR_CALLBACK_FAILED'); // AJWT_NONCE_STORE_FAILED
    assert.equal(e.cause, down);
    assert.equal(e.claimedUsername, 'alice');
    return true;
  });
  auth.free();
});

test('refusals carry the same statuses as the one-call form, in the same order', async () => {
  const { alice, bob, repo } = asyncRepository();
  const syncRepo = {
    userExists: (u) => u === 'alice' || u === 'bob',
    userKeys: (u) => (u === 'alice' ? [alice.publicKey()] : [bob.publicKey()]),
  };
  const asyncAuth = new Authenticator({ ...repo, nonceStore: NonceStore.memory() });
  const syncAuth = new Authenticator({ ...syncRepo, nonceStore: NonceStore.memory() });
  const cases = [
    ['', T],
    ['Bearer abc', T],
    ['JWT abc', T],
    [signHeader(alice, 'mallory', { time: T }), T], // unknown user (decoy check)
    [signHeader(alice, 'bob', { time: T }), T], // bob's name, alice's key
    [signHeader(alice, 'alice', { time: T }), T + 21], // expired
    [signHeader(alice, 'alice', { time: T + 21 }), T], // from the future
  ];
  for (const [header, at] of cases) {
    let syncCode;
    try {
      syncAuth.authenticate(header, { now: at });
    } catch (e) {
      syncCode = e.code;
    }
    assert.ok(syncCode, `the one-call form accepted ${header.slice(0, 20)}`);
    await rejectsWith(asyncAuth.authenticateAsync(header, { now: at }), syncCode);
  }
  asyncAuth.free();
  syncAuth.free();
});

test('a rejecting repository refuses with CALLBACK_FAILED and its error as cause', async () => {
  const { alice } = asyncRepository();
  const failure = new Error('database down');
  const auth = new Authenticator({ userKeys: async () => { throw failure; } });
  await assert.rejects(auth.authenticateAsync(signHeader(alice, 'alice', { time: T }), { now: T }), (e) => {
    assert.equal(e.code, 'AJWT_ERR_CALLBACK_FAILED');
    assert.equal(e.cause, failure);
    return true;
  });
  auth.free();
});

test('async userJwks is asked when userKeys has no key for the kid', async () => {
  const { alice } = asyncRepository();
  const rotated = Key.generate('ed25519');
  const auth = new Authenticator({
    userKeys: async () => [alice.publicKey()],
    userJwks: async () => JSON.stringify({ keys: [rotated.toJWK()] }),
  });
  assert.equal((await auth.authenticateAsync(signHeader(rotated, 'alice', { time: T }), { now: T })).key.fingerprint,
    rotated.fingerprint);
  auth.free();
});

test('request binding through the async flow (body digest from the library)', async () => {
  const { alice, repo } = asyncRepository();
  const auth = new Authenticator({ ...repo, binding: 'required' });
  assert.equal(auth.binding, 'required');
  const token = signRequest(alice, 'alice', { time: T, method: 'POST', target: '/orders?id=1', body: '{"n":1}' });
  const request = { now: T, method: 'POST', target: '/orders?id=1', body: '{"n":1}' };
  assert.equal((await auth.authenticateAsync(authHeader(token), request)).username, 'alice');
  const again = signRequest(alice, 'alice', { time: T, method: 'POST', target: '/orders?id=1', body: '{"n":1}' });
  await rejectsWith(auth.authenticateAsync(authHeader(again), { ...request, body: '{"n":2}' }), 'AJWT_ERR_BINDING_BODY');
  await rejectsWith(auth.authenticateAsync(signHeader(alice, 'alice', { time: T }), request), 'AJWT_ERR_BINDING_REQUIRED');
  auth.free();
});
