// Find a contact by mobile, name, email or external_userid (`q=` searches all four), or by one of them.
import { api, ApiError, query } from '../api/client';
import type { Contact, ContactPage } from '../api/types';
import { field, h, replace, say, status, table } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';

const BY = ['q', 'mobile', 'name', 'email', 'external_userid'] as const;

const page: PageFactory = async ({ query: params, navigate }) => {
  const by = h('select', { 'data-testid': 'contact-search-by' }, BY.map(b => h('option', { value: b }, t(`contacts.by.${b}`))));
  const text = h('input', { type: 'search', 'data-testid': 'contact-search', autocomplete: 'off' });
  by.value = BY.find(b => params.has(b)) ?? 'q';
  text.value = params.get(by.value) ?? '';
  const line = status('contacts-status');
  const results = h('div', {});
  const more = h('button', { type: 'button', hidden: true, 'data-testid': 'contacts-more' }, t('common.more'));
  let rows: Contact[] = [];
  let cursor: string | null = null;

  const load = async (fresh: boolean) => {
    if (fresh) { rows = []; cursor = null; }
    try {
      const page = await api.get<ContactPage>(`/api/v1/contacts${query({ [by.value]: text.value.trim() || null, limit: 50, cursor })}`);
      rows = rows.concat(page.items ?? []);
      cursor = page.next_cursor ?? null;
      more.hidden = !cursor;
      say(line, t('contacts.found', { n: rows.length }));
      replace(results, table('contacts-table', [t('contact.name'), t('contact.mobile'), t('contact.email'), t('contact.stage'), t('contact.tier')], rows, c => [
        h('a', { href: `/console/contacts/${c.id}`, 'data-testid': `contact-${c.id}` }, c.name || `#${c.id}`),
        c.mobile ?? '—', c.email ?? '—', c.lifecycle_stage ? t(`stage.${c.lifecycle_stage}`) : '—', c.tier ?? '—',
      ], t('contacts.none')));
    } catch (e) {
      say(line, e instanceof ApiError ? e.message : String(e), 'error');
    }
  };

  const form = h('form', {
    class: 'inline', role: 'search', 'data-testid': 'contact-search-form',
    onsubmit: (e: Event) => {
      e.preventDefault();
      history.replaceState(null, '', `/console/contacts${query({ [by.value]: text.value.trim() || null })}`);
      void load(true);
    },
  }, field(t('contacts.searchBy'), by), field(t('contacts.search'), text),
  h('button', { type: 'submit', class: 'primary', 'data-testid': 'contact-search-submit' }, t('contacts.find')));
  more.addEventListener('click', () => void load(false));
  void navigate;
  await load(true);
  return {
    shown: () => text.focus(),
    element: h('section', { 'aria-labelledby': 'contacts-title' }, h('h1', { id: 'contacts-title' }, t('contacts.title')), form, line, results, more),
    title: t('contacts.title'),
  };
};

export default page;
