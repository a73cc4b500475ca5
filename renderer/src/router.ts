// Pages are hash routes (#/logs): they work from file:// in Electron, where the tray opens
// #/callbacks and #/logs directly, and need nothing from the server.
import { useEffect, useState } from 'react';

export const PAGES = ['status', 'subscriber', 'sync', 'allowlist', 'callbacks', 'settings', 'logs'] as const;
export type Page = (typeof PAGES)[number] | 'setup';

function pageFromHash(): Page {
  const name = window.location.hash.replace(/^#\/?/, '').split(/[?&/]/)[0] ?? '';
  return name === 'setup' || (PAGES as readonly string[]).includes(name) ? (name as Page) : 'status';
}

export function navigate(page: Page): void {
  window.location.hash = `/${page}`;
}

export function usePage(): Page {
  const [page, setPage] = useState(pageFromHash);
  useEffect(() => {
    const onChange = () => setPage(pageFromHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return page;
}
