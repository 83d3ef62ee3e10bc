// nonceKey (ajwt_nonce_key) against the shared vectors every language and Django check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nonceKey } from '../index.js';
import { vectorsDir } from './helpers.js';

const file = join(vectorsDir, 'nonce-keys.json');

// Times beyond 2^53 (int64 max) are kept exact as BigInt.
function readVectors() {
  const text = readFileSync(file, 'utf8').replace(/"time":\s*(-?\d{16,})/g, '"time": "$1"');
  return JSON.parse(text).cases.map((c) => ({ ...c, time: typeof c.time === 'string' ? BigInt(c.time) : c.time }));
}

test('nonceKey matches tests/vectors/nonce-keys.json', { skip: !existsSync(file) && `${file} is missing` }, () => {
  const cases = readVectors();
  assert.ok(cases.length >= 10);
  for (const c of cases) {
    assert.equal(nonceKey(c.username, c.time, c.nonce), c.key, c.name);
  }
});

test('nonceKey refuses what is not a username, time or nonce', () => {
  assert.throws(() => nonceKey(undefined, 1, 'n'), TypeError);
  assert.throws(() => nonceKey('alice', 1.5, 'n'), TypeError);
  assert.throws(() => nonceKey('alice', 1, 42), TypeError);
});
