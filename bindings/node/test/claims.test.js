// The shared registered-claim and token-policy vectors (tests/vectors/claims), both policies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Key, Verifier, Status } from '../index.js';
import { vectorsDir, rejects } from './helpers.js';

const vectors = JSON.parse(readFileSync(join(vectorsDir, 'claims/claims-and-policies.json'), 'utf8'));

function statusOf(verifier, key, token) {
  try {
    verifier.verify(token, key, { now: vectors.now });
    return 0;
  } catch (e) {
    assert.equal(e.name, 'AjwtError', e.message);
    return e.status;
  }
}

test('claim vectors: strict and 1.x statuses', () => {
  const key = Key.loadPublic(vectors.public_key);
  const strict = new Verifier();
  const compat = new Verifier({ compat: '1.x', leeway: 0 });
  assert.ok(vectors.cases.length >= 50);
  for (const c of vectors.cases) {
    assert.equal(statusOf(strict, key, c.token), c.strict, `${c.name} strict`);
    assert.equal(statusOf(compat, key, c.token), c.compat_1x, `${c.name} 1.x`);
  }
});

test('claim statuses, options and the exact time', () => {
  assert.equal(Status.AJWT_ERR_TOKEN_EXP_PASSED, 60);
  assert.equal(Status.AJWT_ERR_TOKEN_REGISTERED_CLAIM, 64);
  rejects(assert, () => new Verifier({ leeway: -1 }), 'AJWT_ERR_INVALID_ARGUMENT');
  rejects(assert, () => new Verifier({ compat: 'lenient' }), 'AJWT_ERR_INVALID_ARGUMENT');
  const fraction = vectors.cases.find((c) => c.name === 'time_fraction');
  const token = new Verifier({ compat: '1.x' }).parse(fraction.token);
  assert.equal(token.time, vectors.now);
  assert.equal(token.exactTime, vectors.now + 0.5);
  const expired = vectors.cases.find((c) => c.name === 'exp_now');
  rejects(assert, () => new Verifier().verify(expired.token, Key.loadPublic(vectors.public_key), { now: vectors.now }),
    'AJWT_ERR_TOKEN_EXP_PASSED');
});
