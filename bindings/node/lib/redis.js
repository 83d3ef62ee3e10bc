// A nonce store shared by every replica (and every language): Redis, through the user's own
// client — node-redis (the `redis` package) or ioredis, both optional peer dependencies.
// The key and its lifetime come from the library (ajwt_pending_nonce_key / _ttl); this only
// runs `SET key 1 NX EX ttl`.

/** Refusal of a shared nonce store that could not answer: the request fails closed. */
export class NonceStoreUnavailable extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'NonceStoreUnavailable';
  }
}

// The client's way to send one raw command, and to tell whether it is connected now.
function clientAdapter(client) {
  if (typeof client?.sendCommand === 'function' && 'isReady' in client) { // node-redis 4+
    return { send: (args) => client.sendCommand(args), ready: () => client.isReady };
  }
  if (typeof client?.call === 'function' && 'status' in client) { // ioredis
    return { send: (args) => client.call(...args), ready: () => client.status === 'ready' };
  }
  throw new TypeError('client must be a node-redis (redis >= 4) or ioredis client');
}

/**
 * Records nonces in Redis for Authenticator's `sharedNonceStore`. Fails closed: while the client
 * is not connected, or when Redis errors or does not answer within `timeout` ms, record()
 * rejects at once (the request is refused) rather than queueing; once the client has
 * reconnected by itself, records go through again.
 */
export class RedisNonceStore {
  #client;
  #timeout;

  constructor(client, { timeout = 1000 } = {}) {
    this.#client = clientAdapter(client);
    if (!(Number.isFinite(timeout) && timeout > 0)) {
      throw new TypeError('timeout must be a positive number of milliseconds');
    }
    this.#timeout = timeout;
  }

  /** True when `key` was new (now recorded for `ttl` seconds), false when already recorded (a replay). */
  async record(key, ttl) {
    if (!this.#client.ready()) {
      throw new NonceStoreUnavailable('redis is not connected');
    }
    let timer;
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new NonceStoreUnavailable(`redis did not answer within ${this.#timeout} ms`)),
        this.#timeout);
    });
    let reply;
    try {
      reply = await Promise.race([this.#client.send(['SET', key, '1', 'NX', 'EX', String(ttl)]), timedOut]);
    } catch (e) {
      throw e instanceof NonceStoreUnavailable ? e : new NonceStoreUnavailable(`redis: ${e?.message ?? e}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
    if (reply === 'OK') {
      return true;
    }
    if (reply === null) {
      return false;
    }
    throw new NonceStoreUnavailable(`redis answered SET NX with ${JSON.stringify(reply)}`);
  }
}
