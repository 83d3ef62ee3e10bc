// Server and client adapters over real HTTP on loopback: authMiddleware on node:http, the
// Fastify plugin (when fastify is installed), and signedFetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get } from 'node:http';
import { Authenticator, Key, NonceStore, authMiddleware, ajwtFastify, signedFetch, signHeader } from '../index.js';
import { close, listen } from './helpers.js';

const alice = Key.generate('ed25519');
const users = new Map([['alice', [alice.publicKey()]]]);

function authenticator(options = {}) {
  return new Authenticator({
    nonceStore: NonceStore.memory(),
    userExists: async (u) => users.has(u),
    userKeys: async (u) => users.get(u),
    ...options,
  });
}

// node:http with the middleware in front of a handler that echoes what it saw.
async function serve(auth, options = {}) {
  const lines = [];
  const protect = authMiddleware(auth, { logger: (line) => lines.push(line), ...options });
  const server = createServer((req, res) => protect(req, res, (error) => {
    res.setHeader('content-type', 'application/json');
    if (error) {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: error.message }));
      return;
    }
    res.end(JSON.stringify({ user: req.user, kid: req.ajwt.kid, body: req.rawBody?.toString() ?? null }));
  }));
  return { server, base: await listen(server), lines };
}

test('middleware: a signed request reaches the handler with req.user and req.ajwt', async () => {
  const auth = authenticator();
  const { server, base } = await serve(auth);
  const response = await fetch(`${base}/whoami`, { headers: { authorization: signHeader(alice, 'alice') } });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { user: { username: 'alice' }, kid: alice.fingerprint, body: null });
  await close(server);
  auth.free();
});

test('middleware: refusals are 401 with WWW-Authenticate: JWT and one log line without the token', async () => {
  const auth = authenticator();
  const { server, base, lines } = await serve(auth);
  const mallory = Key.generate('ed25519');
  const cases = [
    [undefined, 'AJWT_ERR_NO_AUTH_HEADER'],
    [signHeader(mallory, 'alice'), 'AJWT_ERR_BAD_SIGNATURE'],
    [signHeader(mallory, 'mal"lory\n'), 'AJWT_ERR_UNKNOWN_USER'],
  ];
  for (const [header, code] of cases) {
    const response = await fetch(`${base}/whoami`, { headers: header ? { authorization: header } : {} });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'JWT');
    assert.deepEqual(await response.json(), { error: code });
  }
  assert.equal(lines.length, 3);
  assert.match(lines[0], /refused GET "\/whoami": AJWT_ERR_NO_AUTH_HEADER/);
  assert.match(lines[1], /AJWT_ERR_BAD_SIGNATURE.* user="alice"$/);
  assert.ok(lines[2].endsWith(' user="mal\\"lory\\n"'), lines[2]); // escaped: one line, no injection
  for (const [i, line] of lines.entries()) {
    const token = cases[i][0]?.split(' ')[1];
    assert.ok(!token || !line.includes(token.split('.')[2]), 'the log line holds the token');
  }
  await close(server);
  auth.free();
});

test('middleware: a replayed header is refused', async () => {
  const auth = authenticator();
  const { server, base, lines } = await serve(auth);
  const headers = { authorization: signHeader(alice, 'alice') };
  assert.equal((await fetch(`${base}/`, { headers })).status, 200);
  assert.equal((await fetch(`${base}/`, { headers })).status, 401);
  assert.match(lines[0], /AJWT_ERR_NONCE_REPLAYED/);
  await close(server);
  auth.free();
});

test('middleware: binding reads the body (kept for the handler), refuses another body, caps its size', async () => {
  const auth = authenticator({ binding: 'required' });
  const { server, base, lines } = await serve(auth, { maxBodySize: 64 });
  const post = signedFetch(alice, 'alice', { bind: true });
  const ok = await post(`${base}/orders?id=7`, { method: 'POST', body: '{"n":1}' });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).body, '{"n":1}');
  // Signed for one body, sent with another.
  const fetchOtherBody = signedFetch(alice, 'alice', {
    bind: true, fetch: (url, init) => fetch(url, { ...init, body: '{"n":2}' }),
  });
  const refused = await fetchOtherBody(`${base}/orders?id=7`, { method: 'POST', body: '{"n":1}' });
  assert.equal(refused.status, 401);
  assert.match(lines.at(-1), /AJWT_ERR_BINDING_BODY/);
  const wrongTarget = signedFetch(alice, 'alice', { bind: true, fetch: (url, init) => fetch(`${base}/orders?id=8`, init) });
  assert.equal((await wrongTarget(`${base}/orders?id=7`, { method: 'POST', body: '' })).status, 401);
  assert.match(lines.at(-1), /AJWT_ERR_BINDING_TARGET/);
  const big = await post(`${base}/upload`, { method: 'POST', body: 'x'.repeat(65) });
  assert.equal(big.status, 413);
  assert.match(lines.at(-1), /BodyTooLarge/);
  await close(server);
  auth.free();
});

test('signedFetch: each call sends a fresh token', async () => {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.end('ok');
  });
  const base = await listen(server);
  const fetchSigned = signedFetch(alice, 'alice');
  for (let i = 0; i < 3; i++) {
    assert.equal(await (await fetchSigned(`${base}/x`, { headers: { 'x-trace': String(i) } })).text(), 'ok');
  }
  assert.equal(new Set(seen).size, 3);
  const auth = authenticator(); // with a nonce store: each token is new
  const nonces = [];
  for (const header of seen) {
    nonces.push((await auth.authenticateAsync(header)).nonce);
  }
  assert.equal(new Set(nonces).size, 3);
  await close(server);
  auth.free();
});

test('signedFetch: a Request object keeps its headers; bad arguments are refused', async () => {
  let seen;
  const server = createServer((req, res) => {
    seen = req.headers;
    res.end('ok');
  });
  const base = await listen(server);
  await signedFetch(alice, 'alice')(new Request(`${base}/r`, { headers: { 'x-a': '1' } }));
  assert.equal(seen['x-a'], '1');
  assert.match(seen.authorization, /^JWT [\w-]+\.[\w-]+\.[\w-]+$/);
  assert.throws(() => signedFetch('not a key', 'alice'), TypeError);
  const bound = signedFetch(alice, 'alice', { bind: true });
  assert.throws(() => bound(`${base}/r`, { method: 'POST', body: new Blob(['x']) }), TypeError);
  await close(server);
});

let fastify;
try {
  fastify = (await import('fastify')).default;
} catch {
  fastify = null;
}

test('fastify plugin: accepts, refuses with 401 + header + log line, binds the body', { skip: !fastify && 'fastify is not installed' }, async () => {
  for (const binding of ['off', 'required']) {
    const auth = authenticator({ binding });
    const lines = [];
    const app = fastify();
    await app.register(ajwtFastify, { authenticator: auth, logger: (line) => lines.push(line) });
    app.get('/whoami', async (request) => ({ user: request.user.username, kid: request.ajwt.kid }));
    app.post('/echo', async (request) => ({ user: request.user.username, body: request.body }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const fetchSigned = signedFetch(alice, 'alice', { bind: binding !== 'off' });
    const ok = await fetchSigned(`${base}/whoami`);
    assert.equal(ok.status, 200, binding);
    assert.deepEqual(await ok.json(), { user: 'alice', kid: alice.fingerprint });
    const posted = await fetchSigned(`${base}/echo`, {
      method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' },
    });
    assert.equal(posted.status, 200, binding);
    assert.deepEqual(await posted.json(), { user: 'alice', body: { n: 1 } }); // the parser got the body
    const refused = await fetch(`${base}/whoami`, { headers: { authorization: 'JWT abc' } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'JWT');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /AJWT_ERR_TOKEN_FORMAT/);
    await app.close();
    auth.free();
  }
});

test('middleware: the user option maps req.user; a mapping that throws goes to next(error)', async () => {
  const auth = authenticator();
  const mapped = await serve(auth, { user: (v) => ({ id: `user:${v.username}`, via: v.alg }) });
  const ok = await fetch(`${mapped.base}/`, { headers: { authorization: signHeader(alice, 'alice') } });
  assert.deepEqual((await ok.json()).user, { id: 'user:alice', via: 'EdDSA' });
  const failing = await serve(auth, { user: () => { throw new Error('directory down'); } });
  const broken = await fetch(`${failing.base}/`, { headers: { authorization: signHeader(alice, 'alice') } });
  assert.equal(broken.status, 500);
  assert.deepEqual(await broken.json(), { error: 'directory down' });
  assert.deepEqual(failing.lines, []); // not a refusal: nothing logged as one
  await close(mapped.server);
  await close(failing.server);
  auth.free();
});

test('middleware: the refusal header is sent as WWW-Authenticate (clients that match names case-sensitively)', async () => {
  const auth = authenticator();
  const { server, base } = await serve(auth);
  const rawHeaders = await new Promise((resolve, reject) => {
    get(`${base}/whoami`, (res) => {
      res.resume();
      resolve(res.rawHeaders);
    }).on('error', reject);
  });
  assert.equal(rawHeaders[rawHeaders.indexOf('WWW-Authenticate') + 1], 'JWT');
  await close(server);
  auth.free();
});
