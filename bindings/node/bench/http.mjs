// Signed requests per second through authMiddleware + signedFetch against the same node:http
// server without authentication, in one run, with the verification floor beside them. Run by
// hand (not in CI):
//
//   AJWT_LIBRARY=build/capi/libajwt.so.0 node bindings/node/bench/http.mjs [seconds per run, default 5]
//
// The servers run in this process, the load (keep-alive fetch, CONCURRENCY loops) in a child
// process, so the server's own cost per request is this process's CPU time divided by the
// requests it answered (other load on the machine does not count). Printed:
//   floor           Verifier#verify of a fresh Ed25519 token (parse + signature + time window +
//                   memory nonce store), CPU time per op through the binding: one verification
//   authenticateAsync  the two-phase flow with a Promise repository and a memory nonce store
//   authMiddleware alone  the middleware over plain req/res objects: the adapter's own cost per
//                   request, compared with the target floor + 20 µs
//   plain / plain+signed / auth  requests/s and server µs per request: the server without
//                   auth under a plain fetch (its top rate) and under signedFetch (the signing
//                   client's rate, header unread), and with authMiddleware under signedFetch;
//                   the ratios, and the adapter's cost per request over HTTP = auth - plain+signed
//                   (equal request rates, so equal event-loop wake-ups per request).
import { createServer } from 'node:http';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Authenticator, Key, NonceStore, Verifier, authMiddleware, signedFetch } from '../index.js';

const CONCURRENCY = Number(process.env.CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

// One load run against `server`: requests/s, this process's CPU µs per request (all its
// threads, GC included) and the event loop's busy µs per request (this thread only).
async function run(server, pkcs8, seconds) {
  const url = `http://127.0.0.1:${server.address().port}/`;
  const load = fork(new URL(import.meta.url), ['--load']);
  await once(load, 'spawn');
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  load.send({ url, seconds, pkcs8 });
  const [{ ok, failed }] = await once(load, 'message');
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const active = performance.eventLoopUtilization(loop).active * 1000;
  return { rps: ok / wall, cpuMicros: (used.user + used.system) / ok, loopMicros: active / ok, failed };
}

if (process.argv[2] === '--load') {
  // The load: `CONCURRENCY` loops of GET until the deadline, signed or not.
  const [{ url, pkcs8, seconds }] = await once(process, 'message');
  const doFetch = pkcs8 ? signedFetch(Key.loadPrivate(pkcs8), 'bench') : fetch;
  const deadline = Date.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < deadline) {
      const response = await doFetch(url);
      await response.arrayBuffer();
      if (response.status === 200) {
        ok++;
      } else {
        failed++;
      }
    }
  }));
  process.send({ ok, failed }, () => process.exit(0));
} else {
  const seconds = Number(process.argv[2] ?? 5);
  const key = Key.generate('ed25519');
  const publicKey = key.publicKey();

  const cpuMicros = (fn, n) => {
    let best = Infinity;
    for (let batch = 0; batch < 5; batch++) {
      const start = process.cpuUsage();
      fn(n);
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / n);
    }
    return best;
  };
  const floor = (() => {
    const verifier = new Verifier({ nonceStore: NonceStore.memory({ maxEntries: 10_000_000 }) });
    const tokens = Array.from({ length: 20000 }, () => key.sign('bench'));
    let i = 0;
    verifier.verify(tokens[i++], publicKey); // warm-up
    return cpuMicros((n) => {
      for (let j = 0; j < n; j++) {
        verifier.verify(tokens[i++ % tokens.length], publicKey);
      }
    }, 3000);
  })();

  const authenticator = new Authenticator({
    nonceStore: NonceStore.memory({ maxEntries: 10_000_000 }),
    userExists: async (u) => u === 'bench',
    userKeys: async () => [publicKey],
  });
  const asyncMicros = await (async () => {
    const headers = Array.from({ length: 6000 }, () => `JWT ${key.sign('bench')}`);
    let best = Infinity;
    for (let batch = 0; batch < 3; batch++) {
      const slice = headers.slice(batch * 2000, (batch + 1) * 2000);
      const start = process.cpuUsage();
      for (const header of slice) {
        await authenticator.authenticateAsync(header);
      }
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / slice.length);
    }
    return best;
  })();

  const protect = authMiddleware(authenticator, { logger: () => {} });
  // The middleware alone: plain objects for req and res, next() resolving a promise.
  const middlewareMicros = await (async () => {
    const headers = Array.from({ length: 6000 }, () => `JWT ${key.sign('bench')}`);
    const res = { statusCode: 200, setHeader() {}, end() { throw new Error('refused in the benchmark'); } };
    let best = Infinity;
    for (let batch = 0; batch < 3; batch++) {
      const slice = headers.slice(batch * 2000, (batch + 1) * 2000);
      const start = process.cpuUsage();
      for (const authorization of slice) {
        await new Promise((resolve) => protect({ method: 'GET', url: '/', headers: { authorization } }, res, resolve));
      }
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / slice.length);
    }
    return best;
  })();
  const answer = (res) => {
    res.setHeader('content-type', 'text/plain');
    res.end('ok');
  };
  // 'plain' twice: with a plain fetch (its top rate) and with signedFetch (the signed load's
  // rate, the header unread), so the adapter's cost is compared at equal request rates.
  const plain = createServer((req, res) => answer(res));
  const servers = {
    plain,
    'plain+signed': plain,
    auth: createServer((req, res) => protect(req, res, () => answer(res))),
  };
  // Alternating rounds, the best of each (machine noise hits both alike).
  const results = {};
  for (const server of new Set(Object.values(servers))) {
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, server] of Object.entries(servers)) {
      const r = await run(server, name === 'plain' ? null : key.toPKCS8(), seconds);
      const best = results[name];
      results[name] = best ? {
        rps: Math.max(best.rps, r.rps), cpuMicros: Math.min(best.cpuMicros, r.cpuMicros),
        loopMicros: Math.min(best.loopMicros, r.loopMicros), failed: best.failed + r.failed,
      } : r;
    }
  }
  for (const server of new Set(Object.values(servers))) {
    server.closeAllConnections();
    server.close();
  }

  const f = (x) => x.toFixed(1);
  console.log(`libajwt Node adapters, Ed25519, ${CONCURRENCY} connections, best of ${ROUNDS} alternating runs of ${seconds} s`);
  console.log(`floor: one verification (Verifier#verify, CPU)      ${f(floor)} µs`);
  console.log(`authenticateAsync (Promise repo, memory nonces)     ${f(asyncMicros)} µs  (+${f(asyncMicros - floor)} µs over the floor)`);
  console.log(`authMiddleware alone (plain req/res objects)        ${f(middlewareMicros)} µs  (+${f(middlewareMicros - floor)} µs over the floor; `
    + `target <= floor + 20: ${middlewareMicros <= floor + 20 ? 'met' : 'NOT met'})`);
  for (const name of Object.keys(servers)) {
    const r = results[name];
    console.log(`${name.padEnd(12)}: ${f(r.rps).padStart(9)} req/s; server per request: ${f(r.loopMicros)} µs event loop, `
      + `${f(r.cpuMicros)} µs process CPU${r.failed ? `; ${r.failed} refused` : ''}`);
  }
  const added = results.auth.loopMicros - results['plain+signed'].loopMicros;
  const addedCpu = results.auth.cpuMicros - results['plain+signed'].cpuMicros;
  console.log(`ratio auth/plain: ${(results.auth.rps / results.plain.rps).toFixed(3)} of the requests/s `
    + `(auth/plain+signed: ${(results.auth.rps / results['plain+signed'].rps).toFixed(3)})`);
  console.log(`added per request over HTTP (auth - plain+signed): ${f(added)} µs event loop (${f(addedCpu)} µs process CPU); `
    + `target <= floor + 20 = ${f(floor + 20)} µs: ${added <= floor + 20 ? 'met' : 'NOT met'}`);
  authenticator.free();
}
