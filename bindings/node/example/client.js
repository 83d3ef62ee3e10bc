// A client that signs its request with its private key: "Authorization: JWT <token>".
//
//   node example/client.js --key PRIVATE_KEY_FILE --user NAME [--url http://127.0.0.1:8000/whoami]
//                          [--password-env VAR] [--replay]
//
// --replay sends the same header twice (the second must get 401 AJWT_ERR_NONCE_REPLAYED).
//
// Two more commands, the ones the Go and Rust example clients have for the cross-language check
// (scripts/test-cross-language.sh, AJWT_CROSS_DRIVERS):
//
//   node example/client.js token --key PRIVATE_KEY_FILE [--password P | --password-env VAR]
//                                --user NAME [--time UNIX_SECONDS] [--nonce N]
//       prints a signed token (time defaults to now, nonce to a fresh random one);
//   node example/client.js verify --public PUBLIC_KEY_FILE --token TOKEN [--now UNIX_SECONDS]
//       prints the verified username; exits 1 when the token is refused (the reason on stderr).
//       The public key may be PEM, OpenSSH or JWK text; --now defaults to the clock.
//
// Usage and file errors exit 2.
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AjwtError, Key, signHeader, verify } from '../index.js';

export async function signedFetch(url, key, username, { method = 'GET' } = {}) {
  const authorization = signHeader(key, username);
  return fetch(url, { method, headers: { authorization } });
}

class UsageError extends Error {}

/** The token itself was refused (as opposed to bad arguments or an unloadable key). */
export class TokenRefused extends Error {
  constructor(error) {
    super(`${error.code}: ${error.message}`, { cause: error });
    this.code = error.code;
  }
}

function unixSeconds(text, what) {
  if (text === undefined) {
    return undefined;
  }
  if (!/^-?\d+$/.test(text)) {
    throw new UsageError(`--${what} must be whole Unix seconds, got '${text}'`);
  }
  return BigInt(text); // exact for any int64, unlike a Number
}

function readKeyFile(path, what) {
  if (!path) {
    throw new UsageError(`--${what} FILE is required`);
  }
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${e.message}`);
  }
}

function passwordOf(values) {
  if (values.password !== undefined) {
    return values.password;
  }
  return values['password-env'] ? process.env[values['password-env']] : undefined;
}

/** `token`: a signed token for --user, printed on stdout. */
export function tokenCommand(args) {
  const { values } = parseArgs({
    args,
    options: {
      key: { type: 'string' },
      password: { type: 'string' },
      'password-env': { type: 'string' },
      user: { type: 'string' },
      time: { type: 'string' },
      nonce: { type: 'string' },
    },
  });
  if (!values.user) {
    throw new UsageError('--user NAME is required');
  }
  const text = readKeyFile(values.key, 'key');
  const time = unixSeconds(values.time, 'time');
  const key = Key.loadPrivate(text, { password: passwordOf(values) });
  try {
    return key.sign(values.user, { time, nonce: values.nonce });
  } finally {
    key.free();
  }
}

/** `verify`: the username of a token verified with --public at --now; throws TokenRefused if refused. */
export function verifyCommand(args) {
  const { values } = parseArgs({
    args,
    options: {
      public: { type: 'string' },
      token: { type: 'string' },
      now: { type: 'string' },
    },
  });
  if (values.token === undefined) {
    throw new UsageError('--token TOKEN is required');
  }
  const text = readKeyFile(values.public, 'public');
  const now = unixSeconds(values.now, 'now');
  const key = Key.loadPublic(text);
  try {
    return verify(values.token.trim(), key, { now }).username;
  } catch (e) {
    throw e instanceof AjwtError ? new TokenRefused(e) : e;
  } finally {
    key.free();
  }
}

async function requestCommand(args) {
  const { values } = parseArgs({
    args,
    options: {
      key: { type: 'string' },
      user: { type: 'string' },
      url: { type: 'string', default: 'http://127.0.0.1:8000/whoami' },
      'password-env': { type: 'string' },
      replay: { type: 'boolean', default: false },
    },
  });
  if (!values.user) {
    throw new UsageError('--user NAME is required');
  }
  const key = Key.loadPrivate(readKeyFile(values.key, 'key'), { password: passwordOf(values) });
  const authorization = signHeader(key, values.user);
  key.free();
  let failed = false;
  for (let i = 0; i < (values.replay ? 2 : 1); i++) {
    const res = await fetch(values.url, { headers: { authorization } });
    console.log(res.status, (await res.text()).trim());
    failed ||= res.status !== 200;
  }
  return failed && !values.replay ? 1 : 0;
}

const USAGE = `usage: node example/client.js [request] --key FILE --user NAME [--url URL] [--password-env VAR] [--replay]
       node example/client.js token --key FILE [--password P | --password-env VAR] --user NAME [--time T] [--nonce N]
       node example/client.js verify --public FILE --token TOKEN [--now N]`;

async function main(argv) {
  const [command, ...rest] = argv;
  try {
    if (command === 'token') {
      console.log(tokenCommand(rest));
      return 0;
    }
    if (command === 'verify') {
      try {
        console.log(verifyCommand(rest));
        return 0;
      } catch (e) {
        if (!(e instanceof TokenRefused)) {
          throw e;
        }
        console.error(`node: token refused: ${e.message}`);
        return 1;
      }
    }
    // Without a command word: the request mode this example always had.
    return await requestCommand(command === 'request' ? rest : argv);
  } catch (e) {
    // parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes.
    if (e instanceof UsageError || e.code?.startsWith?.('ERR_PARSE_ARGS')) {
      console.error(`client.js: ${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof AjwtError) { // e.g. a key that does not load
      console.error(`client.js: ${e.code}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

// Run as a program (also when started through a symlink), not when imported by the tests.
const isMain = process.argv[1] !== undefined
  && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isMain) {
  process.exitCode = await main(process.argv.slice(2));
}
