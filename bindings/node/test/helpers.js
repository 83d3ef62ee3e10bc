// Shared fixtures: the compat vectors and the location of the ajwt CLI.
import { readFileSync, existsSync } from 'node:fs';
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
