import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Key, KeySet, Status, AjwtError, version, versionNumber } from '../index.js';
import { compat, rejects } from './helpers.js';

test('version of the loaded library', () => {
  assert.match(version(), /^\d+\.\d+\.\d+$/);
  const [major, minor, patch] = version().split('.').map(Number);
  assert.equal(versionNumber(), major * 10000 + minor * 100 + patch);
});

test('compat: public keys load with upstream fingerprints, types, comments and JWKs', () => {
  for (const [name, vector] of Object.entries(compat.public_keys)) {
    const key = Key.loadPublic(vector.text);
    try {
      assert.equal(key.isPrivate, false, name);
      assert.equal(key.type, vector.type === 'RSA' ? 'rsa' : 'ed25519', name);
      if (vector.fingerprint) {
        assert.equal(key.fingerprint, vector.fingerprint, name);
      }
      if (vector.allowed_algorithms) {
        assert.deepEqual(key.algorithms, vector.allowed_algorithms, name);
      }
      if (vector.jwk) {
        assert.deepEqual(key.toJWK(), vector.jwk, name);
        // The JWK loads back to the same key.
        const again = Key.loadPublic(JSON.stringify(vector.jwk), { format: 'jwk' });
        assert.ok(again.equals(key));
        again.free();
      }
      if (vector.comment) {
        assert.equal(key.comment, vector.comment, name);
      }
    } finally {
      key.free();
    }
  }
});

test('compat: corrupted public keys fail with AJWT_ERR_KEY_PARSE', () => {
  for (const [name, text] of Object.entries(compat.invalid_public_keys)) {
    assert.throws(() => Key.loadPublic(text), (e) => {
      assert.ok(e instanceof AjwtError, name);
      assert.equal(e.code, 'AJWT_ERR_KEY_PARSE', name);
      assert.equal(e.status, Status.AJWT_ERR_KEY_PARSE);
      assert.ok(e.message.length > 0);
      return true;
    });
  }
});

test('compat: private keys load, encrypted ones with their password only', () => {
  const plain = compat.private_keys.rsa_pkcs8_pem;
  const key = Key.loadPrivate(plain.text);
  assert.equal(key.isPrivate, true);
  assert.equal(key.bits, 2048);
  assert.equal(key.toPEM(), plain.public_pem);
  key.free();

  const enc = compat.private_keys.rsa_traditional_encrypted_pem;
  rejects(assert, () => Key.loadPrivate(enc.text), 'AJWT_ERR_PASSWORD_REQUIRED');
  rejects(assert, () => Key.loadPrivate(enc.text, { password: 'wrong' }), 'AJWT_ERR_WRONG_PASSWORD');
  const decrypted = Key.loadPrivate(enc.text, { password: enc.password });
  assert.equal(decrypted.publicKey().toOpenSSH().split(' ').slice(0, 2).join(' '),
    enc.public_openssh.split(' ').slice(0, 2).join(' '));
  decrypted.free();
});

test('generate, export and reload each key type', () => {
  for (const type of ['ed25519', 'p256', 'rsa']) {
    const key = Key.generate(type);
    assert.equal(key.type, type);
    assert.equal(key.isPrivate, true);
    const pub = key.publicKey();
    assert.equal(pub.isPrivate, false);
    assert.equal(pub.fingerprint, key.fingerprint);
    assert.match(key.fingerprint, /^[0-9a-f]{64}$/);
    for (const format of ['pem', 'jwk']) {
      const back = Key.loadPublic(pub.export(format));
      assert.ok(back.equals(key), `${type} ${format}`);
      back.free();
    }
    const pkcs8 = key.toPKCS8({ password: 'secret' });
    assert.match(pkcs8, /ENCRYPTED PRIVATE KEY/);
    const reloaded = Key.loadPrivate(pkcs8, { password: 'secret' });
    assert.ok(reloaded.equals(key));
    rejects(assert, () => pub.toPKCS8(), 'AJWT_ERR_NOT_PRIVATE_KEY');
    for (const k of [key, pub, reloaded]) {
      k.free();
    }
  }
});

test('RSA generation options and bad arguments', () => {
  const key = Key.generate('rsa', { bits: 3072 });
  assert.equal(key.bits, 3072);
  assert.deepEqual(key.algorithms, ['RS512', 'RS384', 'RS256']);
  assert.ok(key.supportsAlgorithm('PS256'));
  assert.ok(!key.supportsAlgorithm('EdDSA'));
  key.free();
  rejects(assert, () => Key.generate('rsa', { bits: 1024 }), 'AJWT_ERR_KEY_TOO_SMALL');
  rejects(assert, () => Key.generate('dsa'), 'AJWT_ERR_INVALID_ARGUMENT');
  rejects(assert, () => Key.loadPublic(Key.generate().toPKCS8()), 'AJWT_ERR_PRIVATE_KEY_GIVEN');
});

test('OpenSSH export round-trips, a private key is refused as public text', () => {
  const key = Key.generate('ed25519');
  const line = key.toOpenSSH();
  assert.match(line, /^ssh-ed25519 AAAA/);
  const back = Key.loadPublic(line, { format: 'openssh' });
  assert.equal(back.fingerprint, key.fingerprint);
  rejects(assert, () => Key.loadPublic(line, { format: 'pem' }), 'AJWT_ERR_KEY_PARSE');
  key.free();
  back.free();
});

test('KeySet: add, find by kid, iterate and export as JWKS', () => {
  const a = Key.generate('ed25519');
  const b = Key.generate('p256');
  const rsa = compat.public_keys.rsa_pem;
  const set = new KeySet([a.publicKey(), b.toJWK(), rsa.text]);
  assert.equal(set.size, 3);
  const found = set.find(b.fingerprint);
  assert.ok(found.equals(b));
  assert.equal(set.find('nope'), null);
  assert.equal(set.get(99), null);
  assert.deepEqual([...set].map((k) => k.fingerprint), [a.fingerprint, b.fingerprint, rsa.fingerprint]);

  const jwks = JSON.parse(set.toJWKS());
  assert.equal(jwks.keys.length, 3);
  assert.deepEqual(jwks.keys[2], rsa.jwk);

  const copy = KeySet.fromJWKS(jwks);
  assert.equal(copy.size, 3);
  assert.deepEqual(copy.skipped, []);
  for (const h of [a, b, found, set, copy]) {
    h.free();
  }
});

test('KeySet: unusable JWKS members are skipped with a reason, not fatal', () => {
  const good = Key.generate('ed25519');
  const jwks = { keys: [good.toJWK(), { kty: 'oct', k: 'c2VjcmV0' }] };
  const set = KeySet.fromJWKS(JSON.stringify(jwks));
  assert.equal(set.size, 1);
  assert.equal(set.skipped.length, 1);
  assert.equal(typeof set.skipped[0], 'string');
  rejects(assert, () => KeySet.fromJWKS('{"nokeys": 1}'), 'AJWT_ERR_JWKS_PARSE');
  set.free();
  good.free();
});
