import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Key, KeySet, NonceStore, Verifier, Authenticator, Token } from '../index.js';
import { rejects } from './helpers.js';

test('free() is explicit, idempotent, and a freed handle refuses use', () => {
  const key = Key.generate();
  assert.equal(key.freed, false);
  key.free();
  key.free();
  assert.equal(key.freed, true);
  rejects(assert, () => key.fingerprint, 'AJWT_ERR_INVALID_ARGUMENT');
  rejects(assert, () => key.sign('x'), 'AJWT_ERR_INVALID_ARGUMENT');
});

test('Symbol.dispose frees every handle type (the `using` protocol)', () => {
  const dispose = Symbol.dispose ?? Symbol.for('nodejs.dispose');
  const key = Key.generate();
  const handles = [key, new KeySet(), NonceStore.memory(), NonceStore.fromCallback(() => true), new Verifier(),
    new Authenticator({ userKeys: () => [] }), Token.parse(key.sign('x'))];
  for (const h of handles) {
    assert.equal(typeof h[dispose], 'function');
    h[dispose]();
    assert.equal(h.freed, true, h.constructor.name);
  }
});

test('keys borrowed from a set outlive the set', () => {
  const set = new KeySet([Key.generate().toJWK()]);
  const member = set.get(0);
  set.free();
  assert.match(member.fingerprint, /^[0-9a-f]{64}$/);
  member.free();
});

test('unfreed handles are released by the FinalizationRegistry', () => {
  // In a child with --expose-gc: drop authenticators (with a JS nonce store) without free().
  // Their JS repository closures can only be collected after the safety net has freed the
  // native authenticator, which releases the store, whose destroy call drops the callback
  // entry — so collected closures prove the whole chain ran. RSS must stay bounded too.
  const index = fileURLToPath(new URL('../index.js', import.meta.url));
  const script = `
    const a = await import(${JSON.stringify(index)});
    const key = a.Key.generate();
    const jwk = key.toJWK();
    const header = a.authHeader(key.sign('u'));
    let collected = 0;
    const watch = new FinalizationRegistry(() => { collected++; });
    const round = () => {
      for (let i = 0; i < 200; i++) {
        a.Key.loadPublic(key.toPEM()).fingerprint;
        new a.KeySet([jwk]);
        const userKeys = () => [jwk];
        const nonces = () => true;
        watch.register(userKeys, 0);
        watch.register(nonces, 0);
        const auth = new a.Authenticator({ userKeys, nonceStore: a.NonceStore.fromCallback(nonces) });
        auth.authenticate(header);
      }
    };
    const settle = async () => { for (let i = 0; i < 6; i++) { gc(); await new Promise((r) => setTimeout(r, 5)); } };
    round(); await settle();
    const before = process.memoryUsage().rss;
    for (let r = 0; r < 4; r++) { round(); await settle(); }
    const grown = (process.memoryUsage().rss - before) / 1048576;
    console.log(JSON.stringify({ grown, collected }));
  `;
  const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script],
    { encoding: 'utf8', env: process.env, timeout: 120000 });
  assert.equal(child.status, 0, child.stderr);
  const { grown, collected } = JSON.parse(child.stdout.trim().split('\n').at(-1));
  assert.ok(collected >= 1000, `only ${collected} of 2000 repository closures were released`);
  assert.ok(grown < 64, `RSS grew by ${grown} MiB over 800 unfreed handle groups`);
});
