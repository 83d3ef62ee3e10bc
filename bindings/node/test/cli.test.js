// Cross-language check: tokens signed here verify with the ajwt CLI, and the reverse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Key, verify, now } from '../index.js';
import { cliPath, rejects } from './helpers.js';

const cli = cliPath();
const skip = cli ? false : 'set AJWT_CLI (or AJWT_LIBRARY beside capi/cli/ajwt)';

function run(args, input) {
  return spawnSync(cli, args, { input, encoding: 'utf8' });
}

test('a token signed in Node verifies with the CLI; a tampered one does not', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ajwt-node-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const type of ['ed25519', 'rsa', 'p256']) {
    const key = Key.generate(type);
    const pub = join(dir, `${type}.pub`);
    writeFileSync(pub, key.publicKey().toPEM());
    const token = key.sign('node-user');
    const ok = run(['verify', '--pub', pub], `JWT ${token}\n`);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), 'node-user');

    const old = key.sign('node-user', { time: now() - 100 });
    assert.equal(run(['verify', '--pub', pub], old).status, 1);
    const other = Key.generate(type);
    assert.equal(run(['verify', '--pub', pub], other.sign('node-user')).status, 1);
    key.free();
    other.free();
  }
});

test('a token signed by the CLI verifies in Node', { skip }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ajwt-node-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const type of ['ed25519', 'rsa']) {
    const priv = join(dir, `${type}.pem`);
    const gen = run(['keygen', '--out', priv, '--type', type]);
    assert.equal(gen.status, 0, gen.stderr);
    const pubText = run(['pubkey', priv]);
    assert.equal(pubText.status, 0, pubText.stderr);
    const pub = Key.loadPublic(pubText.stdout);

    const signed = run(['sign', '--key', priv, '--user', 'cli-user', '--time', '1439216312', '--nonce', 'n1']);
    assert.equal(signed.status, 0, signed.stderr);
    const result = verify(signed.stdout.trim(), pub, { now: 1439216312 });
    assert.deepEqual([result.username, result.time, result.nonce, result.kid], ['cli-user', 1439216312, 'n1', pub.fingerprint]);
    rejects(assert, () => verify(signed.stdout.trim(), pub, { now: 1439216312 + 21 }), 'AJWT_ERR_TOKEN_EXPIRED');

    // The fingerprint the CLI prints is the one Node computes.
    const fp = run(['fingerprint', priv]);
    assert.equal(fp.status, 0, fp.stderr);
    assert.ok(fp.stdout.includes(pub.fingerprint), fp.stdout);
    pub.free();
  }
});
