// RedisNonceStore against a real redis-server started here on a free loopback port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator, Key, NonceStoreUnavailable, RedisNonceStore, nonceKey, signHeader } from '../index.js';
import { freePort, haveRedis, redisServer, startRedis, stopRedis } from './helpers.js';

let createClient;
try {
  ({ createClient } = await import('redis'));
} catch {
  createClient = null;
}
const skip = (!haveRedis && `${redisServer} is not installed`) || (!createClient && 'the redis package is not installed');

function connectClient(port) {
  const client = createClient({
    url: `redis://127.0.0.1:${port}/0`,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: () => 50 },
  });
  client.on('error', () => {}); // expected while the server is stopped; the store reports it per request
  return client;
}

test('Redis nonce store: accept, replay refused across replicas, fail closed while down, recover', { skip, timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ajwt-redis-'));
  const port = await freePort();
  let redis = await startRedis(port, dir);
  const clients = [connectClient(port), connectClient(port)];
  await Promise.all(clients.map((c) => c.connect()));
  const alice = Key.generate('ed25519');
  // Two replicas of one service, each with its own client, sharing the Redis.
  const [replica1, replica2] = clients.map((client) => new Authenticator({
    userKeys: async () => [alice.publicKey()],
    sharedNonceStore: new RedisNonceStore(client),
  }));
  try {
    const header = signHeader(alice, 'alice', { nonce: 'once' });
    const verified = await replica1.authenticateAsync(header);
    assert.equal(verified.username, 'alice');
    const key = nonceKey('alice', verified.time, 'once');
    assert.equal(await clients[0].get(key), '1');
    const ttl = await clients[0].ttl(key);
    assert.ok(ttl > 0 && ttl <= 41, `ttl ${ttl}`); // ajwt_verifier_nonce_ttl of the default policy
    for (const replica of [replica1, replica2]) {
      await assert.rejects(replica.authenticateAsync(header), (e) => e.code === 'AJWT_ERR_NONCE_REPLAYED');
    }

    await stopRedis(redis);
    await assert.rejects(replica1.authenticateAsync(signHeader(alice, 'alice')), (e) => {
      assert.equal(e.name, 'AjwtError');
      assert.ok(e.cause instanceof NonceStoreUnavailable, String(e.cause));
      return true;
    });

    redis = await startRedis(port, dir);
    await Promise.all(clients.map((c) => (c.isReady ? undefined : once(c, 'ready'))));
    assert.equal((await replica2.authenticateAsync(signHeader(alice, 'alice'))).username, 'alice');
  } finally {
    replica1.free();
    replica2.free();
    await Promise.all(clients.map((c) => c.destroy?.() ?? c.disconnect()));
    await stopRedis(redis);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('RedisNonceStore refuses what is not a Redis client', () => {
  assert.throws(() => new RedisNonceStore({}), TypeError);
  assert.throws(() => new RedisNonceStore(null), TypeError);
});
