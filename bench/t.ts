import { load, startChild } from './lib.js';
for (const subs of ['1000', '100000']) {
  const api = await startChild('bench/server-child.ts', ['api', subs]);
  let n = 0;
  const requests = [{ method: 'GET' as const, setupRequest: (req: any) => { n = (n * 7919 + 104729) % Number(subs); return { ...req, path: `/api/contracts?user_id=${70000001 + n}` }; } }];
  await load({ url: api.url, duration: 1, requests });
  console.log(subs, await load({ url: api.url, duration: 6, requests }));
  await api.stop();
}
