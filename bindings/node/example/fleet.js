// The Node service of the fleet test (docs: tests/fleet, contract in the fleet notes): node:http,
// authMiddleware on /whoami, signedFetch for /call, nonces in the shared Redis through
// RedisNonceStore, users' JWKS URLs through JwksCache.
//
//   node example/fleet.js --name NAME --port PORT --redis-url redis://127.0.0.1:RPORT/0
//        --registry REGISTRY.json --key NAME.pem [--jwks-file FILE] [--jwks-ttl SECONDS]
//
// Needs the `redis` package (a devDependency: `npm ci` in bindings/node installs it).
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createClient } from 'redis';
import { Authenticator, JwksCache, Key, RedisNonceStore, authMiddleware, signedFetch } from '../index.js';

const { values: args } = parseArgs({
  options: {
    name: { type: 'string' },
    port: { type: 'string' },
    'redis-url': { type: 'string' },
    registry: { type: 'string' },
    key: { type: 'string' },
    'jwks-file': { type: 'string' },
    'jwks-ttl': { type: 'string', default: '2' },
  },
});
for (const required of ['name', 'port', 'redis-url', 'registry', 'key']) {
  if (!args[required]) {
    console.error(`fleet.js: --${required} is required`);
    process.exit(2);
  }
}
const log = (line) => console.error(`[node ${args.name}] ${line}`);

// username -> { publicKeys, jwksUrls }
const users = new Map(JSON.parse(readFileSync(args.registry, 'utf8')).users.map(
  (u) => [u.username, { publicKeys: u.public_keys ?? [], jwksUrls: u.jwks_urls ?? [] }]));

// Fail fast while Redis is away (no offline queue; RedisNonceStore refuses when not ready), and
// reconnect by itself.
const redis = createClient({
  url: args['redis-url'],
  disableOfflineQueue: true,
  socket: { reconnectStrategy: (retries) => Math.min(50 * (retries + 1), 500) },
});
let redisDown = false;
redis.on('error', (e) => {
  if (!redisDown) {
    log(`redis: ${e.message}`);
    redisDown = true;
  }
});
redis.on('ready', () => {
  if (redisDown) {
    log('redis: connected again');
  }
  redisDown = false;
});
await redis.connect();

const ttl = Number(args['jwks-ttl']);
const jwks = new JwksCache({ ttl, refreshCooldown: ttl, onFetchFailure: (url, e) => log(`jwks ${url}: ${e.message}`) });
const authenticator = new Authenticator({
  sharedNonceStore: new RedisNonceStore(redis),
  userExists: (username) => users.has(username),
  userKeys: (username) => users.get(username)?.publicKeys ?? [],
  userJwks: (username, kid) => Promise.all((users.get(username)?.jwksUrls ?? []).map((url) => jwks.keys(url, kid))),
});
const protect = authMiddleware(authenticator, { logger: log });
const fetchSigned = signedFetch(Key.loadPrivate(readFileSync(args.key)), args.name);

function reply(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(type === 'application/json' ? JSON.stringify(body) : body);
}

async function call(target) {
  try {
    const response = await fetchSigned(target, { signal: AbortSignal.timeout(10000) });
    return { status: response.status, body: await response.text() };
  } catch (e) {
    return { status: 0, error: e.message };
  }
}

async function jwksDocument(res) {
  if (!args['jwks-file']) {
    reply(res, 404, 'no JWKS here\n', 'text/plain');
    return;
  }
  reply(res, 200, await readFile(args['jwks-file']), 'application/json; charset=utf-8');
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const routes = {
    '/health': () => reply(res, 200, 'ok', 'text/plain'),
    '/whoami': () => protect(req, res, (error) => {
      if (error) {
        log(`error: ${error.message}`);
        reply(res, 500, { error: 'internal' });
        return;
      }
      reply(res, 200, { service: args.name, user: req.user.username });
    }),
    '/call': async () => reply(res, 200, await call(url.searchParams.get('url') ?? '')),
    '/.well-known/jwks.json': () => jwksDocument(res),
  };
  const route = req.method === 'GET' ? routes[url.pathname] : undefined;
  if (!route) {
    reply(res, 404, { error: 'not found' });
    return;
  }
  Promise.resolve(route()).catch((e) => {
    log(`error on ${url.pathname}: ${e.message}`);
    if (!res.headersSent) {
      reply(res, 500, { error: 'internal' });
    }
  });
});
server.listen(Number(args.port), '127.0.0.1', () => log(`listening on 127.0.0.1:${args.port}`));
