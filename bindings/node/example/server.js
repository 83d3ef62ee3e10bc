// A tiny node:http server that authenticates every request with libajwt's authenticator.
// Users and their public keys live in an in-memory registry; replays are refused by the
// built-in nonce store.
//
//   node example/server.js [--port 8000] [--register USER=PUBLIC_KEY_FILE ...]
//
// GET /whoami answers 200 {"username": ...} for a valid "Authorization: JWT <token>",
// else 401 {"error": "<status name>", "detail": ...}.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Authenticator, NonceStore } from '../index.js';

/** The key registry: username -> public key texts (PEM, OpenSSH or JWK). */
export class KeyRegistry {
  #users = new Map();

  register(username, publicKeyText) {
    const keys = this.#users.get(username) ?? [];
    keys.push(publicKeyText);
    this.#users.set(username, keys);
  }

  has(username) {
    return this.#users.has(username);
  }

  keysOf(username) {
    return this.#users.get(username) ?? [];
  }
}

export function createAuthServer(registry, { log = () => {} } = {}) {
  const authenticator = new Authenticator({
    nonceStore: NonceStore.memory(),
    userExists: (username) => registry.has(username),
    userKeys: (username) => registry.keysOf(username),
    keyUsed: (username, key) => log(`${username} used key ${key.fingerprint.slice(0, 16)}…`),
  });
  const server = createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify(body)}\n`);
    };
    try {
      const who = authenticator.authenticate(req.headers.authorization ?? '');
      reply(200, { username: who.username, path: req.url });
    } catch (e) {
      if (e.name !== 'AjwtError') {
        throw e;
      }
      log(`rejected ${req.method} ${req.url}: ${e.code}`);
      res.setHeader('www-authenticate', 'JWT');
      reply(401, { error: e.code, detail: e.message });
    }
  });
  server.on('close', () => authenticator.free());
  return server;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8000' },
      register: { type: 'string', multiple: true, default: [] },
    },
  });
  const registry = new KeyRegistry();
  for (const entry of values.register) {
    const [username, file] = entry.split('=');
    registry.register(username, readFileSync(file, 'utf8'));
  }
  const server = createAuthServer(registry, { log: (line) => console.log(line) });
  server.listen(Number(values.port), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
}
