// Admin operations called without HTTP (the shell's own core, the IPC channel): the input checked
// against the contract with its defaults filled in, the handler run, a failure answered by toWire,
// exactly as the admin API answers.
import type { z } from 'zod';
import { AdminContract, type AdminHandlers, type AdminOp } from '../../shared/admin.js';
import type { AdminSend } from '../../shared/admin-client.js';
import { toWire } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { AdminOpError } from './errors.js';

/** The input checked against the operation's schema (defaults filled in), or a 400 naming the field. */
export function parseInput<K extends AdminOp>(op: K, input: unknown): z.infer<(typeof AdminContract)[K]['input']> {
  const result = AdminContract[op].input.safeParse(input ?? {});
  if (result.success) return result.data as z.infer<(typeof AdminContract)[K]['input']>;
  const message = result.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new AdminOpError(400, `${op}: ${message}`);
}

export function inProcessSend(handlers: AdminHandlers, log?: Logger): AdminSend {
  return async (op, input) => {
    try {
      const handler = handlers[op] as (input: unknown) => Promise<unknown>;
      return { ok: true, result: await handler(parseInput(op, input)) };
    } catch (err) {
      const { status, body } = toWire(err, log, { op });
      return { ok: false, error: body, status };
    }
  };
}
