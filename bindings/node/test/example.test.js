// The runnable example: server.js with an in-memory registry, client.js signing requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Key, authHeader } from '../index.js';
import { KeyRegistry, createAuthServer } from '../example/server.js';
import { signedFetch } from '../example/client.js';

test('in-process: signed requests pass, others get 401 with the status name', async (t) => {
  const key = Key.generate();
  const registry = new KeyRegistry();
  registry.register('svc-a', key.publicKey().toOpenSSH());
  const server = createAuthServer(registry);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const url = `http://127.0.0.1:${server.address().port}/whoami`;

  const ok = await signedFetch(url, key, 'svc-a');
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { username: 'svc-a', path: '/whoami' });

  const unknown = await signedFetch(url, key, 'svc-b');
  assert.equal(unknown.status, 401);
  assert.equal((await unknown.json()).error, 'AJWT_ERR_UNKNOWN_USER');

  const anonymous = await fetch(url);
  assert.equal((await anonymous.json()).error, 'AJWT_ERR_NO_AUTH_HEADER');

  const header = authHeader(key.sign('svc-a'));
  assert.equal((await fetch(url, { headers: { authorization: header } })).status, 200);
  const replay = await fetch(url, { headers: { authorization: header } });
  assert.equal(replay.status, 401);
  assert.equal((await replay.json()).error, 'AJWT_ERR_NONCE_REPLAYED');
});

test('as processes: node example/server.js + node example/client.js', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ajwt-node-example-'));
  const key = Key.generate('rsa');
  writeFileSync(join(dir, 'svc.key'), key.toPKCS8({ password: 'pw' }));
  writeFileSync(join(dir, 'svc.pub'), key.publicKey().toPEM());
  const example = (name) => fileURLToPath(new URL(`../example/${name}`, import.meta.url));

  const server = spawn(process.execPath, [example('server.js'), '--port', '0', '--register', `svc=${join(dir, 'svc.pub')}`],
    { env: process.env });
  t.after(() => {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  let out = '';
  server.stdout.setEncoding('utf8');
  while (!/listening on (\S+)/.test(out)) {
    const [chunk] = await once(server.stdout, 'data');
    out += chunk;
  }
  const base = out.match(/listening on (\S+)/)[1];

  const client = spawn(process.execPath, [example('client.js'), '--key', join(dir, 'svc.key'), '--user', 'svc',
    '--url', `${base}/whoami`, '--password-env', 'SVC_KEY_PASSWORD', '--replay'],
  { env: { ...process.env, SVC_KEY_PASSWORD: 'pw' } });
  let text = '';
  client.stdout.setEncoding('utf8');
  client.stdout.on('data', (c) => { text += c; });
  const [code] = await once(client, 'exit');
  assert.equal(code, 0);
  const lines = text.trim().split('\n');
  assert.match(lines[0], /^200 .*"username":"svc"/);
  assert.match(lines[1], /^401 .*AJWT_ERR_NONCE_REPLAYED/);
});
