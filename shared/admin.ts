// The admin contract: every operation the dashboard, the tray and the CLI can ask of a running
// agent, with its input and output schema. Electron IPC and the loopback admin HTTP API both serve
// exactly these operations; nothing else reaches the core.
import { z } from 'zod';

export const CheckItem = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() });

export const AgentInfo = z.object({
  version: z.string(),
  startedAt: z.string(),
  dataDir: z.string(),
  api: z.object({ url: z.string() }),
  billing: z.object({ kind: z.string() }),
});

const NoInput = z.strictObject({});

export const AdminContract = {
  /** Who and where the agent is. */
  'agent.info': { input: NoInput, output: AgentInfo },
  /** `billing-bridge check` without leaving the dashboard. */
  'billing.check': { input: NoInput, output: z.array(CheckItem) },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type AdminOp = keyof typeof AdminContract;
export type AdminInput<K extends AdminOp> = z.input<(typeof AdminContract)[K]['input']>;
export type AdminOutput<K extends AdminOp> = z.infer<(typeof AdminContract)[K]['output']>;
export type AdminHandlers = {
  [K in AdminOp]: (input: z.infer<(typeof AdminContract)[K]['input']>) => Promise<AdminOutput<K>>;
};

export const ADMIN_OPS = Object.keys(AdminContract) as AdminOp[];
