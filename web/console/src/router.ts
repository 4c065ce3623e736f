// A small router on the History API under /console/ (Siyu answers index.html for every deep link).
// Each page is a module loaded on first use, so a page loads only the code it needs.
export interface Route {
  /** The path under /console/, `:name` for a parameter. */
  pattern: string;
  load: () => Promise<{ default: PageFactory }>;
  /** Shown without a session. */
  public?: boolean;
}

export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  navigate: (path: string) => void;
}

export interface Page {
  element: HTMLElement;
  title: string;
  /** True when leaving would lose changes: the router asks first. */
  dirty?: () => boolean;
  dispose?: () => void;
  /** Called once the element is in the document (a diagram measures its container then). */
  shown?: () => void;
}

export type PageFactory = (ctx: PageContext) => Promise<Page>;

export const BASE = '/console/';

export function match(routes: Route[], path: string): { route: Route; params: Record<string, string> } | null {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.pattern.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      if (p.startsWith(':')) {
        params[p.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return p === parts[i];
    });
    if (ok) return { route, params };
  }
  return null;
}

/** The path under /console/ of the current location. */
export function here(): string {
  const path = location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length) : '';
}

/** Console links are handled here, not by a page load. */
export function interceptLinks(go: (path: string) => void): void {
  document.addEventListener('click', event => {
    const a = (event.target as Element).closest?.('a');
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || a.target) return;
    const url = new URL(a.href, location.href);
    if (url.origin === location.origin && url.pathname.startsWith(BASE)) {
      event.preventDefault();
      go(url.pathname.slice(BASE.length) + url.search);
    }
  });
}
