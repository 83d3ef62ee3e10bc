// The server side: Express/Connect-style middleware over plain node:http requests (no
// framework needed), and what the Fastify hook shares with it. The checks are the library's
// (Authenticator#authenticateAsync); this reads the request, answers refusals and logs them.
import { AjwtError } from './errors.js';

export const DEFAULT_MAX_BODY_SIZE = 1024 * 1024;

/** A request body over the middleware's cap: answered 413, never authenticated. */
export class BodyTooLarge extends Error {
  constructor(limit) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLarge';
    this.limit = limit;
  }
}

// The whole body of a readable stream, refused beyond `limit` bytes (nothing more is buffered).
export async function readBody(stream, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) {
      throw new BodyTooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

// The line logged for a refused request: the status and the claimed username escaped, never the token.
export function refusalLine(method, target, error) {
  const user = error.claimedUsername === undefined ? '' : ` user=${JSON.stringify(error.claimedUsername)}`;
  const cause = error.cause ? ` (${error.cause.message ?? error.cause})` : '';
  return `ajwt: refused ${method} ${JSON.stringify(target)}: ${error.code ?? error.name}: ${error.message}${cause}${user}`;
}

// `logger`: a function of the line, or an object with warn() (console, pino, winston).
export function logWith(logger) {
  if (typeof logger === 'function') {
    return logger;
  }
  if (typeof logger?.warn === 'function') {
    return (line) => logger.warn(line);
  }
  throw new TypeError('logger must be a function or have a warn() method');
}

// The options both adapters take, checked once.
export function adapterOptions(authenticator, { logger = console, maxBodySize = DEFAULT_MAX_BODY_SIZE,
  readBody: wantsBody = authenticator?.binding !== undefined && authenticator.binding !== 'off',
  user = (verified) => ({ username: verified.username }), now } = {}) {
  if (typeof authenticator?.authenticateAsync !== 'function') {
    throw new TypeError('authenticator must be an Authenticator');
  }
  if (!(Number.isSafeInteger(maxBodySize) && maxBodySize >= 0)) {
    throw new TypeError('maxBodySize must be a non-negative integer');
  }
  return { authenticator, log: logWith(logger), maxBodySize, wantsBody, user, now };
}

/**
 * Connect/Express middleware `(req, res, next)`: authenticates the Authorization header; on
 * success sets `req.user` (by default `{username}`; the `user(verified)` option maps it) and
 * `req.ajwt` (the verified token: username, time, nonce, alg, kid, key) and calls next(); on
 * refusal answers 401 with `WWW-Authenticate: JWT` and logs one line. When the verifier binds
 * requests (its binding policy is not 'off', or `readBody: true`), the body is read (at most
 * `maxBodySize` bytes, else 413) for its digest and kept as `req.rawBody` (and `req.body`
 * when nothing set it), since the stream is then consumed.
 */
export function authMiddleware(authenticator, options = {}) {
  const opts = adapterOptions(authenticator, options);
  return function ajwtAuthenticate(req, res, next) {
    const target = req.originalUrl ?? req.url;
    authenticateNodeRequest(opts, req, target).then((verified) => {
      req.ajwt = verified;
      req.user = opts.user(verified); // a mapping that throws goes to next(error) below
    }).then(() => next(), (error) => {
      const answer = refusal(error);
      if (answer === null) {
        next(error);
        return;
      }
      opts.log(refusalLine(req.method, target, error));
      res.statusCode = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) {
        res.setHeader(name, value);
      }
      res.end(answer.body);
    });
  };
}

async function authenticateNodeRequest(opts, req, target) {
  let body;
  if (opts.wantsBody) {
    body = Buffer.isBuffer(req.rawBody) ? req.rawBody : await readBody(req, opts.maxBodySize);
    req.rawBody = body;
    req.body ??= body;
  }
  return opts.authenticator.authenticateAsync(req.headers.authorization, {
    method: req.method, target, body, now: opts.now?.(),
  });
}

// The answer to a refused request, or null for an error that is not a refusal (a bug: passed on).
// Header names in their usual case: node:http sends them as given, and some clients (a dict of
// the headers in Python) look them up case-sensitively.
export function refusal(error) {
  if (error instanceof AjwtError) {
    return {
      status: 401,
      headers: { 'WWW-Authenticate': 'JWT', 'Content-Type': 'application/json' },
      body: `${JSON.stringify({ error: error.code })}\n`,
    };
  }
  if (error instanceof BodyTooLarge) {
    return { status: 413, headers: { 'Content-Type': 'application/json', Connection: 'close' },
      body: `${JSON.stringify({ error: 'body too large' })}\n` };
  }
  return null;
}
