import { useEffect, useState } from 'react';

/** The console's own paths below /console/, e.g. `person/<id>/timeline`, with the query string. */
export interface Route {
  parts: string[];
  params: URLSearchParams;
}

const BASE = '/console/';

function current(): Route {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '';
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(window.location.search),
  };
}

export function href(path: string): string {
  return BASE + path;
}

/** Goes to a screen; `replace` leaves no history entry for the current URL (e.g. one with a sign-in code). */
export function navigate(path: string, { replace = false } = {}): void {
  if (replace) window.history.replaceState(null, '', href(path));
  else window.history.pushState(null, '', href(path));
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}
