// Settings of the Carbon Billing 5 adapter. Field names the spec marks as inferred are settings
// with the spec's defaults (../shared/spec/carbon-billing-5.md §4), so a live system that differs
// is fixed by configuration, not code.
import { z } from 'zod';

export const CarbonSettings = z.strictObject({
  /** REST API v2 root, e.g. http://10.0.0.5:8082 (the adapter appends /rest_api/v2/<Model>/). */
  url: z.string().default('http://127.0.0.1:8082'),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});

export type CarbonSettings = z.infer<typeof CarbonSettings>;
