import { useEffect, useState } from 'preact/hooks';

/** Where the UI is: the path picks the page, the query holds every filter so a URL can be shared. */
export interface Location {
  path: string;
  query: URLSearchParams;
}

type Listener = () => void;
const listeners = new Set<Listener>();

function current(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

function notify(): void {
  for (const l of listeners) l();
}

window.addEventListener('popstate', notify);

/** Goes to a same-origin path (`/issues?status=resolved`) without reloading the page. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = new URL(href, window.location.origin);
  if (url.origin !== window.location.origin) throw new Error(`navigate: ${href} is not on this origin`);
  const target = url.pathname + url.search;
  if (target === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', target);
  else window.history.pushState(null, '', target);
  notify();
}

/** A copy of the current query with `changes` applied; an empty or undefined value removes the key. */
export function withQuery(changes: Record<string, string | undefined>, base = current().query): URLSearchParams {
  const next = new URLSearchParams(base);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  return next;
}

/** Changes query parameters of the current page (filters, range); replaces the history entry by default. */
export function setQuery(changes: Record<string, string | undefined>, options: { replace?: boolean } = {}): void {
  const qs = withQuery(changes).toString();
  navigate(window.location.pathname + (qs ? `?${qs}` : ''), { replace: options.replace ?? true });
}

/** The current location; re-renders the caller when it changes. */
export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const l = (): void => setLoc(current());
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return loc;
}
