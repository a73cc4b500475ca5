// The CLI's side of the admin API: talks to the agent running with the same data directory.
import axios from 'axios';
import { AdminContract, type AdminInput, type AdminOp, type AdminOutput } from '../../shared/admin.js';
import { readToken } from './token.js';
import { ADMIN_HOST } from './server.js';

export class AdminClientError extends Error {
  override name = 'AdminClientError';
}

export function createAdminClient(options: { port: number; tokenFile: string; timeoutMs?: number }) {
  const http = axios.create({
    baseURL: `http://${ADMIN_HOST}:${options.port}/admin/`,
    timeout: options.timeoutMs ?? 30_000,
    validateStatus: () => true,
    proxy: false,
  });
  return {
    async call<K extends AdminOp>(op: K, input: AdminInput<K>): Promise<AdminOutput<K>> {
      let token: string;
      try {
        token = readToken(options.tokenFile);
      } catch {
        throw new AdminClientError(`no admin token at ${options.tokenFile}: is the agent running with this data directory?`);
      }
      let res;
      try {
        res = await http.post(op, input, { headers: { Authorization: `Bearer ${token}` } });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'ECONNREFUSED') throw new AdminClientError(`the agent is not running (nothing answers on ${ADMIN_HOST}:${options.port}); start it with: billing-bridge serve`);
        throw new AdminClientError(`the agent did not answer: ${(err as Error).message}`);
      }
      if (res.status !== 200) {
        const message = typeof res.data?.message === 'string' ? res.data.message : `HTTP ${res.status}`;
        throw new AdminClientError(message);
      }
      return AdminContract[op].output.parse(res.data.result) as AdminOutput<K>;
    },
  };
}
