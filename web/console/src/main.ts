// The console's entry: finds the session, then shows the page the URL names (or sign-in).
import './styles.css';
import { ApiError, whenUnauthorized } from './api/client';
import { h, replace } from './dom';
import { applyLang, t } from './i18n';
import { BASE, here, interceptLinks, match, type Page, type Route } from './router';
import { load, session, signOut } from './session';
import { shell } from './shell';

const routes: Route[] = [
  { pattern: 'sign-in', load: () => import('./pages/sign-in'), public: true },
  { pattern: 'journeys', load: () => import('./pages/journeys') },
  { pattern: 'journeys/new', load: () => import('./pages/designer') },
  { pattern: 'journeys/:key', load: () => import('./pages/designer') },
  { pattern: 'journeys/:key/versions/:version', load: () => import('./pages/journey-version') },
  { pattern: 'contacts', load: () => import('./pages/contacts') },
  { pattern: 'contacts/:id', load: () => import('./pages/contact') },
  { pattern: 'templates', load: () => import('./pages/templates') },
  { pattern: 'templates/:key', load: () => import('./pages/template') },
];

const app = document.getElementById('app')!;
let page: Page | null = null;
let rendering = 0;

function navigate(path: string, replaceState = false): void {
  if (page?.dirty?.() && !confirm(t('common.unsavedLeave'))) return;
  const url = BASE + path.replace(/^\//, '');
  if (replaceState) history.replaceState(null, '', url); else history.pushState(null, '', url);
  void render();
}

async function render(): Promise<void> {
  const token = ++rendering;
  applyLang();
  let path = here();
  if (path === '' || path === '/') {
    history.replaceState(null, '', `${BASE}journeys`);
    path = 'journeys';
  }
  const found = match(routes, path.replace(/\/$/, ''));
  if (!found?.route.public && !session()) {
    const next = encodeURIComponent(path + location.search);
    history.replaceState(null, '', `${BASE}sign-in?next=${next}`);
    return render();
  }
  page?.dispose?.();
  page = null;
  const frame = found?.route.public ? { root: h('div', { class: 'public' }), main: null, setCurrent: () => {} } : shell({
    onLanguage: () => void render(),
    onSignOut: async () => {
      if (page?.dirty?.() && !confirm(t('common.unsavedLeave'))) return;
      page = null;
      await signOut();
      navigate('sign-in', true);
    },
  });
  const main = frame.main ?? frame.root;
  frame.setCurrent(path);
  replace(app, frame.root);
  if (!found) {
    replace(main, h('h1', {}, t('common.notFound')));
    return;
  }
  main.setAttribute('aria-busy', 'true');
  try {
    const factory = (await found.route.load()).default;
    const next = await factory({ params: found.params, query: new URLSearchParams(location.search), navigate });
    if (token !== rendering) {
      next.dispose?.();
      return;
    }
    page = next;
    document.title = `${next.title} · Siyu`;
    replace(main, next.element);
    next.shown?.();
  } catch (e) {
    if (token !== rendering) return;
    replace(main, h('p', { class: 'status error', role: 'alert', 'data-testid': 'page-error' },
      e instanceof ApiError ? e.message : String(e)));
  } finally {
    main.removeAttribute('aria-busy');
  }
}

whenUnauthorized(() => {
  if (session() && !location.pathname.endsWith('/sign-in')) {
    void load().then(s => { if (!s) navigate(`sign-in?next=${encodeURIComponent(here())}`, true); });
  }
});
interceptLinks(path => navigate(path));
addEventListener('popstate', () => void render());
addEventListener('beforeunload', event => {
  if (page?.dirty?.()) event.preventDefault();
});

load().catch(() => null).finally(() => void render());
