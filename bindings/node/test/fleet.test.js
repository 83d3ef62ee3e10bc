// example/fleet.js as a process, per the fleet contract: health, the protected /whoami (401 +
// WWW-Authenticate + a stderr line), /call through signedFetch, its JWKS endpoint with rotation,
// replays refused through the shared Redis, fail closed while Redis is down, recovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Key, KeySet, signHeader } from '../index.js';
import { freePort, haveRedis, redisServer, startRedis, stopRedis } from './helpers.js';

let haveRedisPackage = true;
try {
  await import('redis');
} catch {
  haveRedisPackage = false;
}
const skip = (!haveRedis && `${redisServer} is not installed`) || (!haveRedisPackage && 'the redis package is not installed');
const fleetJs = fileURLToPath(new URL('../example/fleet.js', import.meta.url));

async function until(what, fn) {
  for (let i = 0; i < 100; i++) {
    const value = await fn().catch(() => undefined);
    if (value) {
      return value;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('example/fleet.js follows the fleet contract', { skip, timeout: 60000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ajwt-fleet-'));
  const [redisPort, port] = [await freePort(), await freePort()];
  let redis = await startRedis(redisPort, dir);
  const base = `http://127.0.0.1:${port}`;
  const self = Key.generate('ed25519');
  const caller = Key.generate('p256');
  const [jwksOld, jwksNew] = [Key.generate('ed25519'), Key.generate('ed25519')];
  const file = (name, text) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const jwksFile = file('jwks.json', new KeySet([jwksOld.publicKey()]).toJWKS());
  const registry = file('registry.json', JSON.stringify({ users: [
    { username: 'node', public_keys: [self.publicKey().toPEM()] },
    { username: 'caller', public_keys: [caller.publicKey().toPEM()] },
    { username: 'rotating', public_keys: [], jwks_urls: [`${base}/.well-known/jwks.json`] },
  ] }));
  const service = spawn(process.execPath, [fleetJs, '--name', 'node', '--port', String(port),
    '--redis-url', `redis://127.0.0.1:${redisPort}/0`, '--registry', registry, '--key', file('node.pem', self.toPKCS8()),
    '--jwks-file', jwksFile, '--jwks-ttl', '1'], { stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  service.stderr.setEncoding('utf8');
  service.stderr.on('data', (chunk) => { stderr += chunk; });
  const whoami = async (header) => {
    const response = await fetch(`${base}/whoami`, { headers: header ? { authorization: header } : {} });
    return { status: response.status, auth: response.headers.get('www-authenticate'), body: await response.text() };
  };
  try {
    await until('/health', async () => (await fetch(`${base}/health`)).status === 200);
    assert.equal(await (await fetch(`${base}/health`)).text(), 'ok');

    const refused = await whoami(signHeader(caller, 'nobody'));
    assert.deepEqual([refused.status, refused.auth], [401, 'JWT']);
    await until('the refusal line', async () => stderr.includes('AJWT_ERR_UNKNOWN_USER') && stderr.includes('user="nobody"'));

    const header = signHeader(caller, 'caller');
    const accepted = await whoami(header);
    assert.equal(accepted.status, 200);
    assert.deepEqual(JSON.parse(accepted.body), { service: 'node', user: 'caller' });
    assert.equal((await whoami(header)).status, 401); // replay

    const call = await (await fetch(`${base}/call?url=${encodeURIComponent(`${base}/whoami`)}`)).json();
    assert.equal(call.status, 200);
    assert.deepEqual(JSON.parse(call.body), { service: 'node', user: 'node' });
    const unreachable = await (await fetch(`${base}/call?url=${encodeURIComponent('http://127.0.0.1:1/')}`)).json();
    assert.equal(unreachable.status, 0);
    assert.ok(unreachable.error);

    assert.equal((await whoami(signHeader(jwksOld, 'rotating'))).status, 200);
    file('jwks.json', new KeySet([jwksNew.publicKey()]).toJWKS()); // rotation
    await until('the rotated key', async () => (await whoami(signHeader(jwksNew, 'rotating'))).status === 200);

    await stopRedis(redis);
    const down = await whoami(signHeader(caller, 'caller'));
    assert.deepEqual([down.status, down.auth], [401, 'JWT']); // fail closed
    redis = await startRedis(redisPort, dir);
    await until('recovery', async () => (await whoami(signHeader(caller, 'caller'))).status === 200);
    assert.equal(service.exitCode, null, 'the service exited');
    assert.ok(!stderr.includes(header.split(' ')[1]), 'a token was logged');
  } finally {
    service.kill();
    await stopRedis(redis);
    rmSync(dir, { recursive: true, force: true });
  }
});
