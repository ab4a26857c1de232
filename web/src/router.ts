import { useEffect, useState } from 'preact/hooks';

/**
 * Client routes under /app/ (History API). The query string holds a list's state, so a URL is a
 * screen anyone can share, and back/forward walk through it.
 */
export const BASE = '/app';

export type Resource = 'actors' | 'movies';
export type Route =
  | { screen: 'list'; resource: Resource }
  | { screen: 'new'; resource: Resource }
  | { screen: 'detail' | 'edit'; resource: Resource; id: number }
  | { screen: 'not-found' };

export function routeOf(pathname: string): Route {
  const parts = pathname.slice(BASE.length).split('/').filter(Boolean);
  if (parts.length === 0) return { screen: 'list', resource: 'actors' };
  const [resource, id, action] = parts;
  if ((resource !== 'actors' && resource !== 'movies') || parts.length > 3) return { screen: 'not-found' };
  if (id === undefined) return { screen: 'list', resource };
  if (id === 'new' && action === undefined) return { screen: 'new', resource };
  if (!/^[1-9]\d{0,9}$/.test(id)) return { screen: 'not-found' };
  if (action === undefined) return { screen: 'detail', resource, id: Number(id) };
  return action === 'edit' ? { screen: 'edit', resource, id: Number(id) } : { screen: 'not-found' };
}

export type Place = { pathname: string; search: string };
const here = (): Place => ({ pathname: location.pathname, search: location.search });

const CHANGED = 'board:navigate';

/** Goes to an app URL; `replace` for changes that should not add a history entry (typing in Search). */
export function navigate(href: string, { replace = false }: { replace?: boolean } = {}): void {
  if (`${location.pathname}${location.search}` === href) return;
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  dispatchEvent(new Event(CHANGED));
}

/** The current path and query, re-rendering on navigation and on back/forward. */
export function usePlace(): Place {
  const [place, setPlace] = useState(here);
  useEffect(() => {
    const update = () => setPlace(here());
    addEventListener('popstate', update);
    addEventListener(CHANGED, update);
    return () => {
      removeEventListener('popstate', update);
      removeEventListener(CHANGED, update);
    };
  }, []);
  return place;
}

/** A click on an in-app link navigates without reloading; modified clicks (new tab) stay the browser's. */
export function followLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link || link.target || link.origin !== location.origin || !link.pathname.startsWith(`${BASE}/`)) return;
  event.preventDefault();
  navigate(`${link.pathname}${link.search}`);
}

export const pathOf = (resource: Resource, id?: number, action?: 'edit'): string =>
  [`${BASE}/${resource}`, id === undefined ? '' : `/${id}`, action ? `/${action}` : ''].join('');
