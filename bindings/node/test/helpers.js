// Shared fixtures: the compat vectors and the location of the ajwt CLI.
import { readFileSync, existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

export const vectorsDir = process.env.AJWT_VECTORS_DIR || join(root, 'tests/vectors');
export const compat = JSON.parse(readFileSync(join(vectorsDir, 'compat/asymmetric-jwt-auth-1.x.json'), 'utf8'));

// AJWT_CLI, else the CLI built beside AJWT_LIBRARY (capi/libajwt.so.0 -> capi/cli/ajwt).
export function cliPath() {
  if (process.env.AJWT_CLI) {
    return process.env.AJWT_CLI;
  }
  if (process.env.AJWT_LIBRARY) {
    const guess = join(dirname(process.env.AJWT_LIBRARY), 'cli', 'ajwt');
    if (existsSync(guess)) {
      return guess;
    }
  }
  return null;
}

/** Asserts that fn throws an AjwtError with the given status name. */
export function rejects(assert, fn, code) {
  assert.throws(fn, (e) => {
    assert.equal(e.name, 'AjwtError');
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    return true;
  });
}

/** Listens on a free loopback port; resolves with the base URL. */
export async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

/** Closes a server and its open connections. */
export function close(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(resolve));
}

// ---- a private redis-server (AJWT_REDIS_SERVER, else redis-server on the PATH) ----
export const redisServer = process.env.AJWT_REDIS_SERVER || 'redis-server';
export const haveRedis = spawnSync(redisServer, ['--version']).status === 0;

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// A private redis-server: no persistence, its own directory.
export async function startRedis(port, dir) {
  const child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.setEncoding('utf8');
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return child;
}

export async function stopRedis(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  child.kill('SIGKILL');
  await once(child, 'exit');
}

