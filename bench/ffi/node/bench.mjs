// Per-verification cost through the Node binding (bindings/node, koffi), in the format and with
// the cases of c_verify.c (see bench/ffi/run.sh): "case ns_per_op" in process CPU time
// (process.cpuUsage: every thread of the process, V8's compiler and GC threads included), best
// of 7 batches after an untimed warm-up batch so the JIT has compiled the loop.
//
//   AJWT_LIBRARY=.../libajwt.so.0 node bench/ffi/node/bench.mjs [SCALE]
import {
  Authenticator, Key, Verifier, authHeader, versionNumber,
} from '../../../bindings/node/index.js';

const NOW = 1700000000;

// process.cpuUsage() is getrusage(RUSAGE_SELF) in microseconds; batches last milliseconds.
function cpuNanos() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function best(n, batches, op) {
  for (let i = 0; i < n; i++) op(); // warm-up: interpreter -> optimised code, koffi call paths
  let min = Infinity;
  for (let b = 0; b < batches; b++) {
    const start = cpuNanos();
    for (let i = 0; i < n; i++) op();
    const per = (cpuNanos() - start) / n;
    if (per < min) min = per;
  }
  return min;
}

const scale = process.argv[2] === undefined ? 1 : Number(process.argv[2]);
if (!(scale > 0)) {
  console.error(`bench.mjs: bad scale '${process.argv[2]}'`);
  process.exit(2);
}
const ed = Key.generate('ed25519');
const edPub = ed.publicKey();
const rsa = Key.generate('rsa', { bits: 2048 });
const rsaPub = rsa.publicKey();
const verifier = new Verifier();
const edToken = ed.sign('alice', { time: NOW, nonce: 'bench-nonce' });
const rsaToken = rsa.sign('alice', { time: NOW, nonce: 'bench-nonce' });
const header = authHeader(edToken);
// The user_keys callback in JS, as c_verify.c has one in C: it hands over the Key handle.
const auth = new Authenticator({
  verifier,
  userKeys: (username) => (username === 'alice' ? edPub : null),
});

const n = Math.floor(2000 * scale) + 1;
let sink = 0;
const verify = (token, key) => () => {
  sink += verifier.verify(token, key, { now: NOW }).time;
};
console.log(`call ${best(Math.floor(2000000 * scale) + 1, 7, () => { sink += versionNumber(); }).toFixed(2)}`);
console.log(`verify_ed25519 ${best(n, 7, verify(edToken, edPub)).toFixed(1)}`);
console.log(`verify_rsa2048 ${best(n, 7, verify(rsaToken, rsaPub)).toFixed(1)}`);
console.log(`auth_ed25519 ${best(n, 7, () => {
  const id = auth.authenticate(header, { now: NOW });
  id.key.free(); // a new handle per request, as Go closes id.Key
  sink += id.time;
}).toFixed(1)}`);
if (sink === 0.5) console.log(sink); // keeps the results alive
for (const h of [auth, verifier, ed, edPub, rsa, rsaPub]) h.free();
