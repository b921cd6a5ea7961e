import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { invalid } from '../errors.js';

/** The largest JSON body: a job with its parts and routings at their caps fits well inside. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Fastify's JSON parser, reading bytes first: decoding invalid UTF-8 would replace the bad
 * bytes with U+FFFD and store "M\uFFFDller" without a word; the client is told instead.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: JSON_BODY_LIMIT }, (req, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(invalid('body', 'is not valid UTF-8; send JSON encoded as UTF-8'), undefined);
      return;
    }
    void parseJson(req, bytes.toString('utf8'), done);
  });
}
