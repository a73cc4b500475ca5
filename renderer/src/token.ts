// The admin token of the browser-served dashboard. The agent's printed link carries it in the URL
// fragment (#token=…), which browsers never send to servers; `dashboard --open` carries a
// one-time code instead (#code=…), traded here for the token once. We keep the token in
// sessionStorage (gone when the tab closes) and take either out of the address bar so it is not
// bookmarked or shared.
const KEY = 'billing-bridge.admin-token';

/** Removes `name=value` from the fragment (keeping the rest: the page) and returns the value. */
function takeFromHash(name: 'token' | 'code'): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  const match = new RegExp(`(^|[&?/])${name}=([^&]*)&?`).exec(hash);
  if (!match) return null;
  const rest = (hash.slice(0, match.index) + match[1] + hash.slice(match.index + match[0].length)).replace(/[&?/]+$/, '');
  const { pathname, search } = window.location;
  window.history.replaceState(null, '', `${pathname}${search}${rest ? `#${rest}` : ''}`);
  return decodeURIComponent(match[2] ?? '');
}

/** Moves a token (or the token a one-time code stands for) from the fragment into sessionStorage. */
export async function takeTokenFromUrl(): Promise<void> {
  const token = takeFromHash('token');
  if (token) sessionStorage.setItem(KEY, token);
  const code = takeFromHash('code');
  if (!code) return;
  try {
    const res = await fetch('/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
      credentials: 'omit',
    });
    const body = (await res.json().catch(() => null)) as { token?: unknown } | null;
    if (res.ok && typeof body?.token === 'string') sessionStorage.setItem(KEY, body.token);
  } catch {
    // The agent is not reachable: the page says a token is needed, like any page without one.
  }
}

export function adminToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** After a 401: the token is stale (the agent made a new one). */
export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
