// The Fastify adapter: a plugin whose hook authenticates every route of the context it is
// registered in (fastify is an optional peer dependency; nothing here imports it).
import { Readable } from 'node:stream';
import { adapterOptions, readBody, refusal, refusalLine } from './middleware.js';

/**
 * `fastify.register(ajwtFastify, { authenticator, logger?, maxBodySize?, readBody?, user? })`.
 * Sets `request.user` and `request.ajwt` as authMiddleware does; refusals get 401 with
 * `WWW-Authenticate: JWT` and one line on `logger` (default: the request's own logger, warn).
 * Without request binding it is an onRequest hook; with it a preParsing hook, which reads the
 * body (capped) for its digest and hands the same bytes on to Fastify's body parser.
 * It applies to the routes of the context that registers it (wrap it with your routes in a
 * plugin of their own to protect only those).
 */
export function ajwtFastify(fastify, { authenticator, ...options }, done) {
  const opts = adapterOptions(authenticator, { logger: () => {}, ...options });
  const logFor = (request) => (options.logger === undefined ? (line) => request.log.warn(line) : opts.log);
  fastify.decorateRequest('user', null);
  fastify.decorateRequest('ajwt', null);

  async function authenticate(request, reply, body) {
    const target = request.raw.url;
    try {
      const verified = await authenticator.authenticateAsync(request.headers.authorization, {
        method: request.method, target, body, now: opts.now?.(),
      });
      request.ajwt = verified;
      request.user = opts.user(verified);
      return true;
    } catch (error) {
      const answer = refusal(error);
      if (answer === null) {
        throw error;
      }
      logFor(request)(refusalLine(request.method, target, error));
      reply.code(answer.status).headers(answer.headers).send(answer.body);
      return false;
    }
  }

  if (opts.wantsBody) {
    fastify.addHook('preParsing', async (request, reply, payload) => {
      let body;
      try {
        body = await readBody(payload, opts.maxBodySize);
      } catch (error) {
        const answer = refusal(error);
        if (answer === null) {
          throw error;
        }
        logFor(request)(refusalLine(request.method, request.raw.url, error));
        return reply.code(answer.status).headers(answer.headers).send(answer.body);
      }
      if (!(await authenticate(request, reply, body))) {
        return reply;
      }
      const replay = Readable.from(body.length ? [body] : []);
      replay.receivedEncodedLength = body.length;
      return replay;
    });
  } else {
    fastify.addHook('onRequest', async (request, reply) => {
      if (!(await authenticate(request, reply, undefined))) {
        return reply;
      }
      return undefined;
    });
  }
  done();
}

// Not encapsulated: the hook applies to the context that registers the plugin (as fastify-plugin does).
ajwtFastify[Symbol.for('skip-override')] = true;
ajwtFastify[Symbol.for('fastify.display-name')] = 'ajwt';
