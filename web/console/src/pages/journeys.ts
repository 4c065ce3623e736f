// Journeys: each with its state, latest version and counts; pause and activate; a new journey from
// scratch or from one of the journeys Siyu ships.
import { api, ApiError, seg } from '../api/client';
import type { Journey, Sample } from '../api/types';
import { field, h, replace, say, status, table } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { can } from '../session';

const page: PageFactory = async ({ navigate }) => {
  const line = status('journeys-status');
  const list = h('div', {});
  const element = h('section', { 'aria-labelledby': 'journeys-title' },
    h('div', { class: 'heading' }, h('h1', { id: 'journeys-title' }, t('journeys.title')),
      can('edit') ? await newJourney(navigate) : null),
    line, list);

  const show = async () => {
    const { items = [] } = await api.get<{ items?: Journey[] }>('/api/v1/journeys');
    replace(list, table('journeys-table', [t('journeys.name'), t('journeys.state'), t('journeys.version'),
      t('journeys.enteredTotal'), t('journeys.entered7d'), t('journeys.runningNow'), t('journeys.goals'), ''],
    items, j => [
      h('a', { href: `/console/journeys/${seg(j.key ?? '')}`, 'data-testid': `journey-${j.key}` }, j.name || j.key || ''),
      h('span', { class: `badge ${j.status}`, 'data-testid': `journey-state-${j.key}` }, t(`state.${j.status ?? 'active'}`)),
      j.version ?? '—',
      count(j.entered_total ?? j.entered),
      count(j.entered_7d),
      count(j.running_now),
      count(j.goal_conversions),
      can('edit') ? toggle(j) : null,
    ], t('journeys.none')));
  };

  const toggle = (j: Journey) => {
    const pause = j.status === 'active';
    return h('button', {
      type: 'button', 'data-testid': `journey-${pause ? 'pause' : 'activate'}-${j.key}`,
      'aria-label': `${pause ? t('journeys.pause') : t('journeys.activate')} ${j.name || j.key}`,
      onclick: async () => {
        try {
          await api.post(`/api/v1/journeys/${seg(j.key ?? '')}/${pause ? 'pause' : 'activate'}`);
          say(line, pause ? t('journeys.paused', { key: j.key ?? '' }) : t('journeys.activated', { key: j.key ?? '' }), 'ok');
          await show();
        } catch (e) {
          say(line, e instanceof ApiError ? e.message : String(e), 'error');
        }
      },
    }, pause ? t('journeys.pause') : t('journeys.activate'));
  };

  await show();
  return { element, title: t('journeys.title') };
};

function count(n: number | undefined | null): string {
  return n === undefined || n === null ? '—' : n.toLocaleString();
}

async function newJourney(navigate: (path: string) => void): Promise<HTMLElement> {
  let samples: Sample[] = [];
  try {
    samples = (await api.get<{ items: Sample[] }>('/api/v1/journeys/samples')).items;
  } catch {
    // an older server without shipped samples: from scratch only
  }
  const pick = h('select', { 'data-testid': 'sample-select' },
    samples.map(s => h('option', { value: s.name }, s.title || s.name)));
  return h('div', { class: 'new-journey' },
    h('a', { class: 'button primary', href: '/console/journeys/new', 'data-testid': 'new-journey' }, t('journeys.new')),
    samples.length ? h('form', {
      class: 'inline', onsubmit: (e: Event) => { e.preventDefault(); navigate(`journeys/new?sample=${encodeURIComponent(pick.value)}`); },
    }, field(t('journeys.fromSample'), pick),
    h('button', { type: 'submit', 'data-testid': 'new-from-sample' }, t('journeys.openSample'))) : null);
}

export default page;
