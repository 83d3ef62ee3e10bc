// JwksCache over a real JWKS endpoint on loopback: first fetch, cache, rotation, stale keys while
// the endpoint fails, caps, timeout, and the async authenticator trusting a JWKS URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Authenticator, JwksCache, Key, KeySet, signHeader } from '../index.js';
import { close, listen } from './helpers.js';

const T = 1700000000;

// An endpoint whose answer the test sets: { status, body } or 'hang'; counts the GETs.
async function endpoint() {
  const state = { answer: { status: 200, body: '{"keys":[]}' }, gets: 0 };
  const server = createServer((req, res) => {
    state.gets++;
    if (state.answer === 'hang') {
      return; // never answers: the fetch timeout ends it
    }
    res.writeHead(state.answer.status, { 'content-type': 'application/json' });
    res.end(state.answer.body);
  });
  state.url = `${await listen(server)}/.well-known/jwks.json`;
  state.serve = (...keys) => {
    state.answer = { status: 200, body: new KeySet(keys.map((k) => k.publicKey())).toJWKS() };
  };
  state.close = () => close(server);
  return state;
}

function fingerprints(set) {
  const out = [...set].map((k) => k.fingerprint);
  set.free();
  return out;
}

test('JwksCache: fetches once, serves from the cache, picks up a rotation after the TTL', async () => {
  const site = await endpoint();
  const [k1, k2] = [Key.generate('ed25519'), Key.generate('ed25519')];
  site.serve(k1);
  const cache = new JwksCache({ ttl: 10, refreshCooldown: 1 });
  assert.deepEqual(fingerprints(await cache.keys(site.url, k1.fingerprint, { now: T })), [k1.fingerprint]);
  assert.deepEqual(fingerprints(await cache.keys(site.url, k1.fingerprint, { now: T + 5 })), [k1.fingerprint]);
  assert.equal(site.gets, 1);
  assert.equal(cache.size, 1);

  site.serve(k2); // rotation
  assert.deepEqual(fingerprints(await cache.keys(site.url, k2.fingerprint, { now: T + 11 })), [k2.fingerprint]);
  assert.equal(site.gets, 2);
  assert.deepEqual(fingerprints(await cache.keys(site.url, k1.fingerprint, { now: T + 12 })), []); // rotated out
  await site.close();
  cache.free();
});

test('JwksCache: stale keys are served while the endpoint fails, within max age', async () => {
  const site = await endpoint();
  const k1 = Key.generate('ed25519');
  site.serve(k1);
  const failures = [];
  const cache = new JwksCache({ ttl: 10, maxAge: 100, onFetchFailure: (url, e) => failures.push(e.code ?? e.name) });
  assert.equal(fingerprints(await cache.keys(site.url, k1.fingerprint, { now: T })).length, 1);
  site.answer = { status: 500, body: 'down' };
  assert.deepEqual(fingerprints(await cache.keys(site.url, k1.fingerprint, { now: T + 20 })), [k1.fingerprint]);
  assert.deepEqual(fingerprints(await cache.keys(site.url, k1.fingerprint, { now: T + 200 })), []); // past max age
  assert.ok(failures.includes('AJWT_ERR_JWKS_FETCH'), failures.join());
  await site.close();
  cache.free();
});

test('JwksCache: a body over the cap and an endpoint that never answers give no keys', async () => {
  const site = await endpoint();
  const k1 = Key.generate('ed25519');
  site.serve(k1);
  const failures = [];
  const small = new JwksCache({ maxBodySize: 64, onFetchFailure: (url, e) => failures.push(e.code ?? e.name) });
  assert.deepEqual(fingerprints(await small.keys(site.url, null, { now: T })), []);
  assert.deepEqual(failures, ['AJWT_ERR_JWKS_PARSE']);
  site.answer = 'hang';
  const slow = new JwksCache({ fetchTimeoutMs: 200, onFetchFailure: (url, e) => failures.push(e.name) });
  assert.deepEqual(fingerprints(await slow.keys(site.url, null, { now: T })), []);
  assert.equal(failures[1], 'TimeoutError');
  await site.close();
  small.free();
  slow.free();
});

test('JwksCache: concurrent first lookups share one fetch', async () => {
  const site = await endpoint();
  const k1 = Key.generate('ed25519');
  site.serve(k1);
  const cache = new JwksCache();
  const sets = await Promise.all(Array.from({ length: 5 }, () => cache.keys(site.url, k1.fingerprint, { now: T })));
  assert.deepEqual(sets.map((s) => fingerprints(s).length), [1, 1, 1, 1, 1]);
  assert.equal(site.gets, 1);
  await site.close();
  cache.free();
});

test('the async authenticator trusts a user JWKS URL through the cache, rotation included', async () => {
  const site = await endpoint();
  const [k1, k2] = [Key.generate('ed25519'), Key.generate('p256')];
  site.serve(k1);
  const cache = new JwksCache({ ttl: 1, refreshCooldown: 1 });
  const auth = new Authenticator({
    userExists: (u) => u === 'svc',
    userKeys: () => [],
    userJwks: (username, kid) => cache.keys(site.url, kid),
  });
  assert.equal((await auth.authenticateAsync(signHeader(k1, 'svc'))).key.fingerprint, k1.fingerprint);
  site.serve(k2);
  let accepted = false;
  for (let attempt = 0; attempt < 40 && !accepted; attempt++) { // picked up once the TTL (1 s) passed
    try {
      accepted = (await auth.authenticateAsync(signHeader(k2, 'svc'))).key.fingerprint === k2.fingerprint;
    } catch (e) {
      assert.equal(e.code, 'AJWT_ERR_NO_MATCHING_KEY');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  assert.ok(accepted, 'the rotated key was never picked up');
  auth.free();
  cache.free();
  await site.close();
});
