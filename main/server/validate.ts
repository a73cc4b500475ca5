// Request validation with the shared schemas; a failure is a 400 that names the bad field.
import type { Context } from 'koa';
import type { z } from 'zod';

export function parseOr400<S extends z.ZodType>(ctx: Context, schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const message = result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  ctx.throw(400, message);
}
