import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Key, NonceStore, Verifier } from '../index.js';
import { rejects } from './helpers.js';

const T = 1439216312;

test('built-in memory store: check-and-record, replay, ttl and cap', () => {
  const store = NonceStore.memory({ ttl: 10, maxEntries: 2 });
  assert.equal(store.checkAndRecord('alice', T, 'n1', { now: T }), true);
  assert.equal(store.checkAndRecord('alice', T, 'n1', { now: T }), false);
  assert.equal(store.checkAndRecord('bob', T, 'n1', { now: T }), true); // per user
  assert.equal(store.size, 2);
  rejects(assert, () => store.checkAndRecord('carol', T, 'n1', { now: T }), 'AJWT_ERR_NONCE_STORE_FULL');
  // Entries expire ttl seconds after they were recorded.
  assert.equal(store.checkAndRecord('carol', T, 'n1', { now: T + 11 }), true);
  store.free();
});

test('built-in memory store: one user cannot take more than its share', () => {
  const store = NonceStore.memory({ maxEntries: 10, maxEntriesPerUser: 2 });
  assert.equal(store.checkAndRecord('mallory', T, 'a', { now: T }), true);
  assert.equal(store.checkAndRecord('mallory', T, 'b', { now: T }), true);
  rejects(assert, () => store.checkAndRecord('mallory', T, 'c', { now: T }), 'AJWT_ERR_NONCE_STORE_FULL');
  assert.equal(store.checkAndRecord('mallory', T, 'a', { now: T }), false);
  assert.equal(store.checkAndRecord('alice', T, 'c', { now: T }), true);
  assert.equal(store.size, 3);
  rejects(assert, () => NonceStore.memory({ maxEntries: 10, maxEntriesPerUser: 11 }), 'AJWT_ERR_INVALID_ARGUMENT');
});

test('a verifier with a store rejects a replayed token', () => {
  const key = Key.generate();
  const store = NonceStore.memory();
  const verifier = new Verifier({ nonceStore: store });
  store.free(); // the verifier keeps its own reference
  const token = key.sign('alice', { time: T });
  assert.equal(verifier.verify(token, key, { now: T }).username, 'alice');
  rejects(assert, () => verifier.verify(token, key, { now: T }), 'AJWT_ERR_NONCE_REPLAYED');
  assert.equal(verifier.verify(key.sign('alice', { time: T }), key, { now: T }).username, 'alice');
  verifier.free();
  key.free();
});

// A JS store: a Map keyed by user/time/nonce, as a Redis SET NX would be.
function mapStore() {
  const seen = new Map();
  const calls = [];
  const store = NonceStore.fromCallback((username, time, nonce) => {
    calls.push([username, time, nonce]);
    const k = JSON.stringify([username, time, nonce]);
    if (seen.has(k)) {
      return false;
    }
    seen.set(k, true);
    return true;
  });
  return { store, calls };
}

test('a store implemented in JS through the callback interface', () => {
  const { store, calls } = mapStore();
  assert.equal(store.checkAndRecord('zoë', T, 'n', { now: T }), true);
  assert.equal(store.checkAndRecord('zoë', T, 'n', { now: T }), false);
  assert.deepEqual(calls[0], ['zoë', T, 'n']);
  assert.equal(store.size, 0);

  const key = Key.generate();
  const verifier = new Verifier({ nonceStore: store });
  const token = key.sign('alice', { time: T, nonce: 'abc' });
  verifier.verify(token, key, { now: T });
  assert.deepEqual(calls.at(-1), ['alice', T, 'abc']);
  rejects(assert, () => verifier.verify(token, key, { now: T }), 'AJWT_ERR_NONCE_REPLAYED');
  // A bad signature never reaches the store.
  const before = calls.length;
  rejects(assert, () => verifier.verify(Key.generate().sign('alice', { time: T }), key, { now: T }),
    'AJWT_ERR_BAD_SIGNATURE');
  assert.equal(calls.length, before);
  store.free();
  verifier.free(); // the last reference: the library drops the JS callback
});

test('an exception in a JS store rejects the token with the exception as cause', () => {
  const boom = new Error('redis is down');
  const store = NonceStore.fromCallback(() => {
    throw boom;
  });
  const key = Key.generate();
  const verifier = new Verifier({ nonceStore: store });
  assert.throws(() => verifier.verify(key.sign('alice', { time: T }), key, { now: T }), (e) => {
    assert.equal(e.code, 'AJWT_ERR_CALLBACK_FAILED');
    assert.equal(e.status, 4);
    assert.equal(e.cause, boom);
    return true;
  });
  // A callback returning something other than a boolean is a failure too, not "new".
  const sloppy = NonceStore.fromCallback(() => 'yes');
  assert.throws(() => sloppy.checkAndRecord('a', T, 'n', { now: T }), (e) => {
    assert.equal(e.code, 'AJWT_ERR_CALLBACK_FAILED');
    assert.ok(e.cause instanceof TypeError);
    return true;
  });
  // The store still works afterwards (no stale error leaks into the next call).
  const { store: fine } = mapStore();
  assert.equal(fine.checkAndRecord('a', T, 'n', { now: T }), true);
  for (const h of [store, sloppy, fine, verifier, key]) {
    h.free();
  }
});
