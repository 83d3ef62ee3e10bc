// A client that signs its request with its private key: "Authorization: JWT <token>".
//
//   node example/client.js --key PRIVATE_KEY_FILE --user NAME [--url http://127.0.0.1:8000/whoami]
//                          [--password-env VAR] [--replay]
//
// --replay sends the same header twice (the second must get 401 AJWT_ERR_NONCE_REPLAYED).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Key, signHeader } from '../index.js';

export async function signedFetch(url, key, username, { method = 'GET' } = {}) {
  const authorization = signHeader(key, username);
  return fetch(url, { method, headers: { authorization } });
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const { values } = parseArgs({
    options: {
      key: { type: 'string' },
      user: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:8000/whoami' },
      'password-env': { type: 'string' },
      replay: { type: 'boolean', default: false },
    },
  });
  if (!values.key || !values.user) {
    console.error('usage: node example/client.js --key FILE --user NAME [--url URL] [--replay]');
    process.exit(2);
  }
  const password = values['password-env'] ? process.env[values['password-env']] : undefined;
  const key = Key.loadPrivate(readFileSync(values.key), { password });
  const authorization = signHeader(key, values.user);
  key.free();
  let failed = false;
  for (let i = 0; i < (values.replay ? 2 : 1); i++) {
    const res = await fetch(values.url, { headers: { authorization } });
    console.log(res.status, (await res.text()).trim());
    failed ||= res.status !== 200;
  }
  process.exitCode = failed && !values.replay ? 1 : 0;
}
