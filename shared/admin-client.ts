// The one client of the admin contract. The dashboard, the tray and the CLI call operations
// through it over whichever transport reaches the agent (HTTP, Electron IPC, in-process); every
// answer is checked against the operation's schema, every failure is an AdminCallError with the
// agent's code and plain message.
import { AdminContract, type AdminInput, type AdminOp, type AdminOutput } from './admin.js';
import { ExposedError, type AdminAnswer } from './wire.js';

/** Sends one operation. It throws AdminCallError itself when the agent cannot be reached. */
export type AdminSend = (op: AdminOp, input: unknown) => Promise<AdminAnswer>;

/**
 * A failed call: the agent's code (bad_request, conflict, …) or one made on this side
 * (agent_unreachable, agent_timeout, bad_response, no_token, unauthorized), and a message a person
 * can act on. It is answered on as it is when it crosses another boundary (the shell's IPC).
 */
export class AdminCallError extends ExposedError {
  override name = 'AdminCallError';
  /** The HTTP status when the answer came with one. */
  readonly httpStatus: number | null;
  constructor(code: string, message: string, httpStatus: number | null = null) {
    super(httpStatus ?? (code === 'bad_response' ? 502 : 503), code, message);
    this.httpStatus = httpStatus;
  }
}

export interface AdminClient {
  call<K extends AdminOp>(op: K, input: AdminInput<K>): Promise<AdminOutput<K>>;
}

export function adminClient(send: AdminSend): AdminClient {
  return {
    async call(op, input) {
      const answer = await send(op, input ?? {});
      if (!answer.ok) throw new AdminCallError(answer.error.error, answer.error.message, answer.status ?? null);
      const output = AdminContract[op].output.safeParse(answer.result);
      if (!output.success) throw new AdminCallError('bad_response', `the agent's answer to ${op} does not fit this program: the agent and this program are probably of different versions`);
      return output.data as AdminOutput<typeof op>;
    },
  };
}
