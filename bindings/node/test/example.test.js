// The runnable example: server.js with an in-memory registry, client.js signing requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Key, Verifier, authHeader, parseToken } from '../index.js';
import { KeyRegistry, createAuthServer } from '../example/server.js';
import { signedFetch } from '../example/client.js';
import { compat } from './helpers.js';

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

  // The same mode under its command word, as the Go and Rust clients spell it.
  const again = await runAsync(['request', '--key', join(dir, 'svc.key'), '--user', 'svc', '--url', `${base}/whoami`,
    '--password-env', 'SVC_KEY_PASSWORD'], { ...process.env, SVC_KEY_PASSWORD: 'pw' });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /^200 .*"username":"svc"/);
  const wrongUser = await runAsync(['request', '--key', join(dir, 'svc.key'), '--user', 'other', '--url', `${base}/whoami`,
    '--password-env', 'SVC_KEY_PASSWORD'], { ...process.env, SVC_KEY_PASSWORD: 'pw' });
  assert.equal(wrongUser.code, 1);
  assert.match(wrongUser.stdout, /^401 .*AJWT_ERR_UNKNOWN_USER/);
});

// ---- the token / verify commands of the cross-language check (AJWT_CROSS_DRIVERS) -------------
const clientPath = fileURLToPath(new URL('../example/client.js', import.meta.url));

/** Runs client.js with args; the server of the test above shares the event loop, hence async. */
async function runAsync(args, env = process.env) {
  const child = spawn(process.execPath, [clientPath, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
  child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr };
}

function run(args) {
  const r = spawnSync(process.execPath, [clientPath, ...args], { encoding: 'utf8', env: process.env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const T0 = 1700000000;

function driverFixtures(t) {
  const dir = mkdtempSync(join(tmpdir(), 'ajwt-node-driver-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name, text) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const vector = compat.private_keys.rsa_traditional_encrypted_pem;
  const other = Key.generate('ed25519');
  return {
    dir,
    vector,
    rsaKey: file('compat-rsa.pem', vector.text), // traditional PEM, encrypted
    rsaPub: file('compat-rsa.pub', vector.public_openssh), // OpenSSH
    otherKey: other,
    otherPem: file('other.pub', other.publicKey().toPEM()), // PEM SPKI
  };
}

test('token: signs with an encrypted traditional PEM key at the given time', (t) => {
  const f = driverFixtures(t);
  const r = run(['token', '--key', f.rsaKey, '--password', f.vector.password, '--user', 'node-rsa', '--time', String(T0)]);
  assert.equal(r.code, 0, r.stderr);
  const token = r.stdout.trim();
  const parsed = parseToken(token);
  assert.equal(parsed.username, 'node-rsa');
  assert.equal(parsed.time, T0);
  assert.match(parsed.nonce, /^[A-Za-z0-9_-]{11}$/);
  parsed.free();
  // Verified here, independently of the verify command.
  const pub = Key.loadPublic(f.vector.public_openssh);
  assert.equal(new Verifier().verify(token, pub, { now: T0 + 19 }).username, 'node-rsa');

  // Two tokens differ by their fresh nonces; --nonce fixes it.
  const fixed = run(['token', '--key', f.rsaKey, '--password', f.vector.password, '--user', 'u', '--time', String(T0),
    '--nonce', 'fixed-nonce']);
  assert.equal(parseToken(fixed.stdout.trim()).nonce, 'fixed-nonce');
});

test('verify: prints the username within the window, exits 1 when refused', (t) => {
  const f = driverFixtures(t);
  const token = run(['token', '--key', f.rsaKey, '--password', f.vector.password, '--user', 'node-rsa',
    '--time', String(T0)]).stdout.trim();
  const verify = (pub, tok, now) => run(['verify', '--public', pub, '--token', tok, '--now', String(now)]);

  const ok = verify(f.rsaPub, token, T0 + 19);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'node-rsa\n');
  assert.equal(verify(f.rsaPub, token, T0 - 20).code, 0); // the window is +-20 s, inclusive

  const expired = verify(f.rsaPub, token, T0 + 21);
  assert.equal(expired.code, 1);
  assert.equal(expired.stdout, '');
  assert.match(expired.stderr, /AJWT_ERR_TOKEN_EXPIRED/);
  assert.match(verify(f.rsaPub, token, T0 - 21).stderr, /AJWT_ERR_TOKEN_FROM_FUTURE/);

  const sig = token.slice(token.lastIndexOf('.') + 1);
  const tampered = `${token.slice(0, token.lastIndexOf('.') + 1)}${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
  const bad = verify(f.rsaPub, tampered, T0);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /AJWT_ERR_BAD_SIGNATURE/);

  const wrongKey = verify(f.otherPem, token, T0);
  assert.equal(wrongKey.code, 1);
  assert.notEqual(wrongKey.stderr, '');
});

test('verify: a token signed in-process, with a PEM public key', (t) => {
  const f = driverFixtures(t);
  const token = f.otherKey.sign('svc-ed', { time: T0 });
  const r = run(['verify', '--public', f.otherPem, '--token', `${token}\n`, '--now', String(T0 + 5)]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'svc-ed');
});

test('token/verify: bad arguments and unloadable keys exit 2, not 1', (t) => {
  const f = driverFixtures(t);
  const cases = [
    [['token', '--key', f.rsaKey, '--user', 'u'], /AJWT_ERR_PASSWORD_REQUIRED/],
    [['token', '--key', f.rsaKey, '--password', 'nope', '--user', 'u'], /AJWT_ERR_WRONG_PASSWORD/],
    [['token', '--key', f.rsaKey, '--password', f.vector.password], /--user/],
    [['token', '--key', join(f.dir, 'no-such-file.pem'), '--user', 'u'], /cannot read/],
    [['verify', '--public', f.rsaPub], /--token/],
    [['verify', '--public', f.rsaPub, '--token', 'x', '--now', 'soon'], /--now must be whole Unix seconds/],
    [['verify', '--public', f.rsaKey, '--token', 'x'], /AJWT_ERR_PRIVATE_KEY_GIVEN/],
    [['verify', '--bogus'], /Unknown option/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});
