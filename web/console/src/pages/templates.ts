// Message templates: key, kind, current version.
import { api, seg } from '../api/client';
import type { Page, Template } from '../api/types';
import { h, table, timeEl } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';

const page: PageFactory = async () => {
  const { items } = await api.get<Page<Template>>('/api/v1/templates?limit=500');
  return {
    title: t('templates.title'),
    element: h('section', { 'aria-labelledby': 'templates-title' }, h('h1', { id: 'templates-title' }, t('templates.title')),
      table('templates-table', [t('templates.key'), t('templates.kind'), t('templates.description'), t('templates.version'), t('templates.updated')], items, x => [
        h('a', { href: `/console/templates/${seg(x.key ?? '')}`, 'data-testid': `template-${x.key}` }, x.key ?? ''),
        x.kind ? t(`kind.${x.kind}`) : '—', x.description ?? '—', x.current_version ?? '—', timeEl(x.updated_at),
      ], t('templates.none'))),
  };
};

export default page;
