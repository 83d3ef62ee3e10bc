// RedisNonceStore against a real redis-server started here on a free loopback port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Authenticator, Key, NonceStoreUnavailable, RedisNonceStore, nonceKey, signHeader } from '../index.js';
import { freePort, haveRedis, redisServer, startRedis, stopRedis } from './helpers.js';

async function optionalImport(name) {
  try {
    return await import(name);
  } catch {
    return null;
  }
}

// The two clients RedisNonceStore supports, each as the fleet services configure them: no
// offline queue, reconnecting every 50 ms.
const clients = {
  'node-redis': {
    module: await optionalImport('redis'),
    async connect({ createClient }, port) {
      const client = createClient({ url: `redis://127.0.0.1:${port}/0`, disableOfflineQueue: true,
        socket: { reconnectStrategy: () => 50 } });
      client.on('error', () => {}); // expected while the server is stopped; the store reports it per request
      await client.connect();
      return client;
    },
    ready: (client) => (client.isReady ? undefined : once(client, 'ready')),
    close: (client) => client.destroy(),
  },
  ioredis: {
    module: await optionalImport('ioredis'),
    async connect({ default: Redis }, port) {
      const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false,
        maxRetriesPerRequest: 0, retryStrategy: () => 50 });
      client.on('error', () => {});
      await client.connect();
      return client;
    },
    ready: (client) => (client.status === 'ready' ? undefined : once(client, 'ready')),
    close: (client) => client.disconnect(),
  },
};

for (const [name, kind] of Object.entries(clients)) {
  const skip = (!haveRedis && `${redisServer} is not installed`) || (!kind.module && `the ${name} package is not installed`);
  test(`Redis nonce store (${name}): accept, replay refused across replicas, fail closed while down, recover`, { skip, timeout: 60000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ajwt-redis-'));
    const port = await freePort();
    let redis = await startRedis(port, dir);
    const redisClients = [await kind.connect(kind.module, port), await kind.connect(kind.module, port)];
    const alice = Key.generate('ed25519');
    // Two replicas of one service, each with its own client, sharing the Redis.
    const [replica1, replica2] = redisClients.map((client) => new Authenticator({
      userKeys: async () => [alice.publicKey()],
      sharedNonceStore: new RedisNonceStore(client),
    }));
    try {
      const header = signHeader(alice, 'alice', { nonce: 'once' });
      const verified = await replica1.authenticateAsync(header);
      assert.equal(verified.username, 'alice');
      const key = nonceKey('alice', verified.time, 'once');
      assert.equal(await redisClients[0].get(key), '1');
      const ttl = await redisClients[0].ttl(key);
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
      await Promise.all(redisClients.map(kind.ready));
      assert.equal((await replica2.authenticateAsync(signHeader(alice, 'alice'))).username, 'alice');
    } finally {
      replica1.free();
      replica2.free();
      await Promise.all(redisClients.map(kind.close));
      await stopRedis(redis);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('RedisNonceStore refuses what is not a Redis client', () => {
  assert.throws(() => new RedisNonceStore({}), TypeError);
  assert.throws(() => new RedisNonceStore(null), TypeError);
});
