// Contact 360: one page with a member's whole story. Each part loads on its own, so a slow or
// refused part (a role without it, a feature not set up) does not hold up the rest.
import { api, ApiError, query, seg } from '../api/client';
import type { ContactDetail, ContactJourney, ContactTag, Event as SiyuEvent, Grant, Growth, Page, Points, PointsEntry, Tag, Touch, TouchDetail } from '../api/types';
import { field, h, replace, say, status, table, timeEl } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { can } from '../session';

type Child = Parameters<typeof h>[2];

const page: PageFactory = async ({ params }) => {
  const id = Number(params.id);
  const contact = await api.get<ContactDetail>(`/api/v1/contacts/${id}`);
  const zone = contact.timezone ?? null;
  const when = (v: string | null | undefined) => timeEl(v, zone);

  const element = h('section', { class: 'contact-360', 'aria-labelledby': 'contact-title' },
    h('div', { class: 'heading' }, h('h1', { id: 'contact-title', 'data-testid': 'contact-name' }, contact.name || `#${id}`),
      h('span', { class: 'muted' }, `#${id}`, zone ? ` · ${t('contact.zone')}: ${zone}` : '')),
    h('div', { class: 'cards' },
      card('profile', t('contact.profile'), async () => dl([
        [t('contact.name'), contact.name], [t('contact.gender'), contact.gender ? t(`gender.${contact.gender}`) : null],
        [t('contact.birthday'), contact.birthday], [t('contact.zone'), contact.timezone], [t('contact.locale'), contact.locale],
        [t('contact.owner'), contact.owner_staff_id], [t('contact.source'), contact.source],
        [t('contact.firstSeen'), when(contact.first_seen_at)], [t('contact.lastInteraction'), when(contact.last_interaction_at)],
        [t('contact.lastPurchase'), when(contact.last_purchase_at)], [t('contact.purchases'), contact.purchase_count],
        [t('contact.spent'), contact.total_spent], [t('contact.created'), when(contact.created_at)],
      ])),
      card('identities', t('contact.identities'), async () => dl([
        ['external_userid', contact.external_userid], ['unionid', contact.unionid], ['openid', contact.openid],
        [t('contact.mobile'), contact.mobile], [t('contact.email'), contact.email],
      ])),
      card('consent', t('contact.consent'), async () => {
        const entries = Object.entries(contact.consent ?? {});
        return entries.length ? dl(entries.map(([ch, v]) => [ch, v === true ? t('consent.yes') : v === false ? t('consent.no') : '—']))
          : h('p', { class: 'empty' }, t('contact.noConsent'));
      }),
      card('lifecycle', t('contact.lifecycle'), async () => dl([
        [t('contact.stage'), contact.lifecycle_stage ? t(`stage.${contact.lifecycle_stage}`) : null],
        [t('contact.rfm'), contact.rfm ? `${contact.rfm.class ?? ''} (R${contact.rfm.r} F${contact.rfm.f} M${contact.rfm.m})` : null],
      ])),
      card('tags', t('contact.tags'), () => tagsPart(id, contact.tags ?? [])),
      card('tier', t('contact.tierGrowth'), async () => {
        const growth = await api.get<Growth>(`/api/v1/contacts/${id}/growth?limit=10`);
        return [dl([[t('contact.tier'), contact.tier], [t('contact.tierSince'), when(contact.tier_since)], [t('contact.growth'), contact.growth_value]]),
          table('growth-table', [t('contact.growthAdded'), t('contact.event'), t('common.at')], growth.items ?? [],
            g => [g.points, g.event_type ?? '—', when(g.created_at)], t('contact.noGrowth'))];
      }),
      card('points', t('contact.points'), async () => {
        const points = await api.get<Points>(`/api/v1/contacts/${id}/points`);
        return [h('p', { class: 'big', 'data-testid': 'points-balance' }, String(points.balance ?? 0)),
          table('points-lots', [t('contact.lot'), t('contact.expires')], points.lots ?? [], l => [l.points, when(l.expires_at)], t('contact.noLots')),
          paged<PointsEntry>('ledger', `/api/v1/contacts/${id}/points/ledger`, 10,
            [t('contact.kind'), t('contact.pointsCol'), t('contact.reason'), t('common.at')],
            e => [e.kind, e.points, e.reason ?? '—', when(e.created_at)], t('contact.noLedger'))];
      }),
      card('rights', t('contact.rights'), async () => paged<Grant>('rights', `/api/v1/contacts/${id}/rights`, 20,
        [t('contact.right'), t('contact.state'), t('contact.granted'), t('contact.expires'), t('contact.redeemed')],
        g => [g.right_code, h('span', { class: `badge ${g.state}` }, t(`grant.${g.state ?? 'granted'}`)), when(g.granted_at), when(g.expires_at), when(g.redeemed_at)],
        t('contact.noRights')), 'wide'),
      card('journeys', t('contact.journeys'), async () => {
        const { items = [] } = await api.get<{ items?: ContactJourney[] }>(`/api/v1/contacts/${id}/journeys`);
        return table('contact-journeys', [t('contact.journey'), t('contact.state'), t('contact.step'), t('contact.entered'), t('contact.goal')], items, j => [
          h('a', { href: `/console/journeys/${seg(j.journey_key ?? '')}/versions/${j.version}` }, `${j.journey_key} v${j.version}`),
          j.state ? h('span', { 'data-testid': `run-${j.journey_key}` }, runState(j.state)) : '—',
          // the step's name, its id when it has none, a dash once the instance has ended
          h('span', { 'data-testid': `step-${j.journey_key}` }, j.current_step_name || j.current_step_id || '—'),
          when(j.entered_at),
          j.goal_reached_at ? [j.goal ?? '', ' ', when(j.goal_reached_at)] : '—',
        ], t('contact.noJourneys'));
      }, 'wide'),
      card('touches', t('contact.touches'), async () => paged<Touch>('touches', `/api/v1/touches${query({ contact_id: id })}`, 20,
        [t('contact.template'), t('contact.channel'), t('contact.state'), t('contact.journey'), t('common.at'), ''],
        x => [x.template_key ?? '—', x.channel ?? '—', h('span', { class: `badge ${x.status}` }, x.status ?? ''), x.journey_key ?? '—',
          when(x.created_at), touchHistory(x.id!, when)],
        t('contact.noTouches')), 'wide'),
      card('events', t('contact.events'), async () => paged<SiyuEvent>('events', `/api/v1/contacts/${id}/events`, 20,
        [t('common.at'), t('contact.eventType'), t('contact.amount'), t('contact.source')],
        e => [when(e.occurred_at), e.type ?? '', e.amount ?? '—', e.source ?? '—'], t('contact.noEvents')), 'wide')));
  return { element, title: contact.name || `#${id}` };
};

/** The engine's state of a journey instance (ACTIVE, COMPLETED, …) in words; one the console does not know, as sent. */
function runState(state: string): string {
  const words = t(`run.${state}`);
  return words === `run.${state}` ? state : words;
}

/** A titled part of the page, filled when its data arrives. */
function card(testid: string, title: string, fill: () => Promise<Child>, wide = ''): HTMLElement {
  const body = h('div', { 'aria-busy': 'true' }, '…');
  const el = h('section', { class: `card ${wide}`, 'data-testid': `part-${testid}`, 'aria-labelledby': `h-${testid}` },
    h('h2', { id: `h-${testid}` }, title), body);
  fill().then(content => replace(body, content), e => replace(body,
    h('p', { class: 'status error' }, e instanceof ApiError && e.status === 403 ? t('common.notAllowed') : e instanceof Error ? e.message : String(e))))
    .finally(() => body.removeAttribute('aria-busy'));
  return el;
}

function dl(rows: [string, Child][]): HTMLElement {
  return h('dl', {}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

/** A list that loads a page at a time (`limit`, `cursor`), with a "more" button. */
function paged<T>(testid: string, path: string, limit: number, headers: string[], cells: (row: T) => Child[], empty: string): HTMLElement {
  const box = h('div', {});
  const more = h('button', { type: 'button', hidden: true, 'data-testid': `${testid}-more` }, t('common.more'));
  let rows: T[] = [];
  let cursor: string | null = null;
  const next = async () => {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api.get<Page<T>>(`${path}${sep}${query({ limit, cursor }).slice(1)}`);
    rows = rows.concat(page.items ?? []);
    cursor = page.next_cursor;
    more.hidden = !cursor;
    replace(box, table(testid, headers, rows, cells as (row: T) => Child[] as never, empty));
  };
  more.addEventListener('click', () => void next());
  void next().catch(e => replace(box, h('p', { class: 'status error' }, e instanceof Error ? e.message : String(e))));
  return h('div', {}, box, more);
}

function touchHistory(id: number, when: (v: string | null | undefined) => HTMLElement): HTMLElement {
  const body = h('div', {});
  const details = h('details', { 'data-testid': `touch-history-${id}` }, h('summary', {}, t('contact.history')), body);
  details.addEventListener('toggle', async () => {
    if (!details.open || body.childElementCount) return;
    const touch = await api.get<TouchDetail>(`/api/v1/touches/${id}`);
    replace(body, h('ol', {}, (touch.history ?? []).map(s => h('li', {}, when(s.at), ' ', s.status ?? '', s.detail ? ` — ${s.detail}` : ''))),
      touch.last_error ? h('p', { class: 'status error' }, touch.last_error) : null);
  });
  return details;
}

/** The contact's tags, with remove buttons and an add form for those who may change them. */
async function tagsPart(id: number, initial: ContactTag[]): Promise<HTMLElement> {
  const line = status('tags-status');
  const list = h('ul', { class: 'tags', 'data-testid': 'contact-tags' });
  const editable = can('edit');
  const show = (tags: ContactTag[]) => replace(list, tags.map(tag => h('li', { class: 'tag' },
    `${tag.group} / ${tag.name}`,
    editable ? h('button', {
      type: 'button', class: 'icon', 'aria-label': t('contact.removeTag', { tag: tag.name ?? '' }), 'data-testid': `remove-tag-${tag.id}`,
      onclick: async () => {
        try {
          await api.del(`/api/v1/contacts/${id}/tags/${tag.id}`);
          await reload();
        } catch (e) { say(line, e instanceof Error ? e.message : String(e), 'error'); }
      },
    }, '×') : null)));
  const reload = async () => show((await api.get<{ items?: ContactTag[] }>(`/api/v1/contacts/${id}/tags`)).items ?? []);
  show(initial);
  if (!editable) return h('div', {}, list);
  const all = await api.get<Page<Tag>>('/api/v1/tags?limit=500').then(p => p.items).catch(() => [] as Tag[]);
  const pick = h('select', { 'data-testid': 'add-tag-select' }, all.map(tag => h('option', { value: tag.id }, `${tag.group} / ${tag.name}`)));
  const form = h('form', {
    class: 'inline', onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        await api.post(`/api/v1/contacts/${id}/tags`, { tag_ids: [Number(pick.value)] });
        await reload();
        say(line, t('contact.tagAdded'), 'ok');
      } catch (err) { say(line, err instanceof Error ? err.message : String(err), 'error'); }
    },
  }, field(t('contact.addTag'), pick), h('button', { type: 'submit', 'data-testid': 'add-tag' }, t('common.add')));
  return h('div', {}, list, all.length ? form : null, line);
}

export default page;
