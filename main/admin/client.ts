// The admin API over HTTP from Node (the CLI, the shell attached to a running service): the one
// admin client over node:http. Not fetch: fetch refuses some ports outright (its "bad ports" list)
// and follows proxy settings in some runtimes, while the admin API is always plain loopback HTTP.
import http from 'node:http';
import { adminClient, AdminCallError, type AdminClient, type AdminSend } from '../../shared/admin-client.js';
import { codeFor } from '../../shared/wire.js';
import { ADMIN_HOST } from './server.js';
import { readToken } from './token.js';

export interface HttpClientOptions {
  port: number;
  tokenFile: string;
  /** callback.send may wait up to 60 s for core; a scan takes longer (default 30 s). */
  timeoutMs?: number;
  /** Added when nothing answers: what to do about it ("start it with: billing-bridge serve"). */
  notRunningHint?: string;
}

type Body = { result?: unknown; error?: unknown; message?: unknown } | null;

function post(url: string, token: string, input: unknown, timeoutMs: number): Promise<{ status: number; body: Body }> {
  const payload = JSON.stringify(input);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      timeout: timeoutMs,
      // A new connection per call: a kept-alive socket may be closed by the server (5 s idle)
      // just as the next poll reuses it.
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        let body: Body = null;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
        } catch {
          // Not JSON: answered by its status below.
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(payload);
  });
}

export function httpSend(options: HttpClientOptions): AdminSend {
  const where = `${ADMIN_HOST}:${options.port}`;
  const hint = options.notRunningHint ? `; ${options.notRunningHint}` : '';
  return async (op, input) => {
    let token: string;
    try {
      token = readToken(options.tokenFile);
    } catch {
      throw new AdminCallError('agent_unreachable', `no admin token at ${options.tokenFile}: is the agent running with this data directory?`);
    }
    let res: { status: number; body: Body };
    try {
      res = await post(`http://${where}/admin/${op}`, token, input, options.timeoutMs ?? 30_000);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ETIMEDOUT') throw new AdminCallError('agent_timeout', `the agent on ${where} did not answer in time`);
      if (code === 'ECONNREFUSED') throw new AdminCallError('agent_unreachable', `the agent is not running (nothing answers on ${where})${hint}`);
      throw new AdminCallError('agent_unreachable', `the agent on ${where} did not answer: ${code ?? (err as Error).message}`);
    }
    const { status, body } = res;
    if (status === 200) return { ok: true, result: body?.result };
    return {
      ok: false,
      status,
      error: {
        error: typeof body?.error === 'string' ? body.error : codeFor(status),
        message: typeof body?.message === 'string' ? body.message : `HTTP ${status}`,
      },
    };
  };
}

export function httpAdminClient(options: HttpClientOptions): AdminClient {
  return adminClient(httpSend(options));
}
