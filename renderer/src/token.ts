// The admin token of the browser-served dashboard. The agent's link carries it in the URL
// fragment (#token=…), which browsers never send to servers; we keep it in sessionStorage (gone
// when the tab closes) and take it out of the address bar so it is not bookmarked or shared.
const KEY = 'billing-bridge.admin-token';
const TOKEN_IN_HASH = /(^|[&?/])token=([^&]*)&?/;

/** Moves a token from the fragment into sessionStorage; keeps the rest of the fragment (the page). */
export function takeTokenFromUrl(): void {
  const hash = window.location.hash.replace(/^#/, '');
  const match = TOKEN_IN_HASH.exec(hash);
  if (!match) return;
  const token = decodeURIComponent(match[2] ?? '');
  if (token !== '') sessionStorage.setItem(KEY, token);
  const rest = (hash.slice(0, match.index) + match[1] + hash.slice(match.index + match[0].length)).replace(/[&?/]+$/, '');
  const { pathname, search } = window.location;
  window.history.replaceState(null, '', `${pathname}${search}${rest ? `#${rest}` : ''}`);
}

export function adminToken(): string | null {
  return sessionStorage.getItem(KEY);
}

/** After a 401: the token is stale (the agent made a new one). */
export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
