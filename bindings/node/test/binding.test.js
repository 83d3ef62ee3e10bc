// Request binding: the shared vectors (tests/vectors/binding) and tampered requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Authenticator, Key, Verifier, Status, signRequest, sign } from '../index.js';
import { vectorsDir, rejects } from './helpers.js';

const vectors = JSON.parse(readFileSync(join(vectorsDir, 'binding/request-binding.json'), 'utf8'));

function statusOf(fn) {
  try {
    fn();
    return 0;
  } catch (e) {
    assert.equal(e.name, 'AjwtError', e.message);
    return e.status;
  }
}

test('binding vectors', () => {
  const key = Key.loadPublic(vectors.public_key);
  assert.ok(vectors.cases.length >= 20);
  for (const c of vectors.cases) {
    const verifier = new Verifier().setBinding(c.policy, { audience: c.audience });
    const { method, target, body } = c.request;
    const status = statusOf(() => verifier.verifyRequest(c.token, key, { now: vectors.now, method, target, body }));
    assert.equal(status, c.status, c.name);
    verifier.free();
  }
});

test('tampered requests are refused with their own status', () => {
  const key = Key.generate('ed25519');
  const pub = key.publicKey();
  const now = 1700000000;
  const bound = { method: 'PUT', target: '/items/1?x=1', body: '{}' };
  const verifier = new Verifier().setBinding('required', { audience: 'inventory' });
  const token = () => signRequest(key, 'alice', { time: now, audience: 'inventory', ...bound });
  assert.equal(verifier.verifyRequest(token(), pub, { now, ...bound }).username, 'alice');
  rejects(assert, () => verifier.verifyRequest(token(), pub, { now, ...bound, method: 'GET' }), 'AJWT_ERR_BINDING_METHOD');
  rejects(assert, () => verifier.verifyRequest(token(), pub, { now, ...bound, target: '/items/2?x=1' }), 'AJWT_ERR_BINDING_TARGET');
  rejects(assert, () => verifier.verifyRequest(token(), pub, { now, ...bound, target: '/items/1?x=2' }), 'AJWT_ERR_BINDING_TARGET');
  rejects(assert, () => verifier.verifyRequest(token(), pub, { now, ...bound, body: '[]' }), 'AJWT_ERR_BINDING_BODY');
  rejects(assert, () => verifier.verifyRequest(sign(key, 'alice', { time: now }), pub, { now, ...bound }), 'AJWT_ERR_BINDING_REQUIRED');
  const other = new Verifier().setBinding('when-present', { audience: 'billing' });
  rejects(assert, () => other.verifyRequest(token(), pub, { now, ...bound }), 'AJWT_ERR_BINDING_AUDIENCE');
  rejects(assert, () => new Verifier().setBinding('sometimes'), 'AJWT_ERR_INVALID_ARGUMENT');
  assert.equal(Status.AJWT_ERR_BINDING_REQUIRED, 84);
});

test('the authenticator checks the request under its verifier\'s binding policy', () => {
  const key = Key.generate('ed25519');
  const now = 1700000000;
  const verifier = new Verifier().setBinding('required');
  const auth = new Authenticator({ verifier, userKeys: (username) => (username === 'alice' ? key.publicKey() : null) });
  verifier.free(); // the authenticator copied the policy
  const bound = { method: 'POST', target: '/orders?page=2', body: '{"n":1}' };
  const header = `JWT ${signRequest(key, 'alice', { time: now, ...bound })}`;
  rejects(assert, () => auth.authenticateRequest(header, { now, ...bound, method: 'PUT' }), 'AJWT_ERR_BINDING_METHOD');
  rejects(assert, () => auth.authenticateRequest(header, { now, ...bound, target: '/orders?page=3' }), 'AJWT_ERR_BINDING_TARGET');
  rejects(assert, () => auth.authenticateRequest(header, { now, ...bound, body: '{"n":2}' }), 'AJWT_ERR_BINDING_BODY');
  const ok = auth.authenticateRequest(header, { now, ...bound });
  assert.equal(ok.username, 'alice');
  assert.ok(ok.key.equals(key.publicKey()));
  rejects(assert, () => auth.authenticate(header, { now }), 'AJWT_ERR_BINDING_METHOD'); // the request is unknown
  const unbound = `JWT ${sign(key, 'alice', { time: now })}`;
  rejects(assert, () => auth.authenticateRequest(unbound, { now, ...bound }), 'AJWT_ERR_BINDING_REQUIRED');
  auth.free();
});
