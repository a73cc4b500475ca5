// Admin apps in tests of the admin port itself (host names, parser errors, documents served
// without a token) that never call an operation; a test that does passes the operations it calls.
import type { AdminHandlers } from '../../shared/admin.js';

export const noHandlers = (ops: Partial<AdminHandlers> = {}): AdminHandlers => ops as AdminHandlers;
