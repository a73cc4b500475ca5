// Reads a small JSON body. Oversized bodies are cut off at the limit (413) instead of buffered.
import type { Context } from 'koa';
import getRawBody from 'raw-body';

export const BODY_LIMIT_BYTES = 16 * 1024;

/** `empty`: what an empty body means; by default an empty body is an error. */
export async function readJsonBody(ctx: Context, options: { limit?: number; empty?: unknown } = {}): Promise<unknown> {
  const limit = options.limit ?? BODY_LIMIT_BYTES;
  const type = ctx.request.type;
  // Core sends JSON; a missing type is tolerated, a different one is a clear client error.
  if (type && type !== 'application/json' && !type.endsWith('+json')) {
    ctx.throw(415, `send the body as application/json (got ${type})`);
  }
  const encoding = ctx.get('Content-Encoding');
  if (encoding && encoding !== 'identity') ctx.throw(415, `compressed bodies (${encoding}) are not accepted`);
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit, length: ctx.get('Content-Length') || undefined, encoding: 'utf8' });
  } catch (err) {
    const e = err as { status?: number; type?: string };
    if (e.status === 413) ctx.throw(413, `the body is larger than ${limit} bytes`);
    if (e.status === 400) ctx.throw(400, 'the body was cut short or does not match its Content-Length');
    throw err;
  }
  if (text.trim() === '') {
    if (options.empty !== undefined) return options.empty;
    ctx.throw(400, 'the body is empty; send a JSON object');
  }
  try {
    return JSON.parse(text);
  } catch {
    ctx.throw(400, 'the body is not valid JSON');
  }
}
