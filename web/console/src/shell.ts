// The frame around every signed-in page: the navigation (only what the role may use), who is signed
// in, the language switch, changing one's password and signing out.
import { api, ApiError } from './api/client';
import { h, field, say, status } from './dom';
import { lang, setLang, t } from './i18n';
import { can, session } from './session';

export interface ShellActions {
  onLanguage: () => void;
  onSignOut: () => void;
}

const NAV: { path: string; label: () => string; testid: string }[] = [
  { path: 'journeys', label: () => t('nav.journeys'), testid: 'nav-journeys' },
  { path: 'contacts', label: () => t('nav.contacts'), testid: 'nav-contacts' },
  { path: 'templates', label: () => t('nav.templates'), testid: 'nav-templates' },
];

/** The shell, with an empty main region the router fills. */
export function shell(actions: ShellActions): { root: HTMLElement; main: HTMLElement; setCurrent: (path: string) => void } {
  const user = session()?.user;
  const links = can('read')
    ? NAV.map(n => h('a', { href: `/console/${n.path}`, 'data-testid': n.testid, 'data-path': n.path }, n.label()))
    : [];
  const main = h('main', { id: 'main', tabindex: '-1' });
  const root = h('div', { class: 'shell' },
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, t('shell.skip')),
    h('header', { class: 'top' },
      h('span', { class: 'brand' }, 'Siyu 私域'),
      h('nav', { 'aria-label': t('shell.nav') }, links),
      h('div', { class: 'who' },
        user ? h('span', { 'data-testid': 'who' }, `${user.display_name} · ${t(`role.${user.role}`)}`) : null,
        languageButton(actions.onLanguage),
        user ? h('button', { type: 'button', 'data-testid': 'change-password', onclick: () => passwordDialog() }, t('shell.password')) : null,
        user ? h('button', { type: 'button', 'data-testid': 'sign-out', onclick: actions.onSignOut }, t('shell.signOut')) : null)),
    can('read') ? null : h('p', { class: 'notice', 'data-testid': 'no-pages' }, t('shell.noPages')),
    main);
  const setCurrent = (path: string) => {
    for (const a of links) {
      const on = path === a.dataset.path || path.startsWith(`${a.dataset.path}/`);
      if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
  };
  return { root, main, setCurrent };
}

export function languageButton(onChange: () => void): HTMLElement {
  const other = lang() === 'en' ? 'zh-CN' : 'en';
  return h('button', {
    type: 'button', lang: other, 'data-testid': 'language', 'aria-label': t('shell.language'),
    onclick: () => { setLang(other); onChange(); },
  }, other === 'en' ? 'English' : '中文');
}

function passwordDialog(): void {
  const current = h('input', { type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'current-password' });
  const next = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12, 'data-testid': 'new-password' });
  const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'new-password-again' });
  const line = status('password-status');
  const dialog = h('dialog', { 'aria-labelledby': 'pw-title', 'data-testid': 'password-dialog' });
  const form = h('form', {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      if (next.value !== again.value) {
        say(line, t('password.mismatch'), 'error');
        again.focus();
        return;
      }
      try {
        await api.post('/api/v1/users/me/password', { current_password: current.value, new_password: next.value });
        say(line, t('password.changed'), 'ok');
        form.reset();
      } catch (err) {
        say(line, err instanceof ApiError ? err.message : String(err), 'error');
      }
    },
  },
  h('h2', { id: 'pw-title' }, t('shell.password')),
  field(t('password.current'), current),
  field(t('password.new'), next, t('password.hint')),
  field(t('password.again'), again),
  line,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'password-submit' }, t('password.submit')),
    h('button', { type: 'button', onclick: () => dialog.close() }, t('common.close'))));
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}
