// The designer: draw or change a journey, validate it against the server (problems drawn on their
// elements), deploy it, see its versions, migrate running instances. Operators and admins only; a
// manager sees the deployed diagram read-only. bpmn-js is imported here, on demand, so no other page
// loads it.
import { api, ApiError, seg } from '../api/client';
import type { Choices, Journey, JourneyDeployment, Migration } from '../api/types';
import type { Designer, Problem } from '../designer/modeler';
import { dropDraft, readDraft, saveDraft } from '../designer/draft';
import { field, h, replace, say, status, time } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { can } from '../session';

const BLANK = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  id="${id}-definitions" targetNamespace="https://siyu.io/journeys">
  <bpmn:process id="${id}" name="${id}" isExecutable="true" />
  <bpmndi:BPMNDiagram id="${id}-diagram"><bpmndi:BPMNPlane id="${id}-plane" bpmnElement="${id}" /></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

const page: PageFactory = async ({ params, query, navigate }) => {
  const key = params.key ?? null;
  if (!can('edit')) {
    // a manager reads: the deployed diagram, not the modeller
    if (!key) return { element: h('p', { class: 'status error', role: 'alert' }, t('common.notAllowed')), title: t('designer.newTitle') };
    const journey = await api.get<Journey>(`/api/v1/journeys/${seg(key)}`);
    navigate(`journeys/${seg(key)}/versions/${journey.version}`);
    return { element: h('div'), title: key };
  }
  // a new journey's draft is kept apart per start (scratch, or each shipped sample), so opening a
  // sample never brings back the draft of another new journey
  const sample = query.get('sample');
  const draftName = key ?? (sample ? `new:${sample}` : 'new');
  const journey = key ? await api.get<Journey>(`/api/v1/journeys/${seg(key)}`) : null;
  const draft = readDraft(draftName);
  const [xml, choices, lib] = await Promise.all([
    draft ? Promise.resolve(draft.xml) : startingXml(journey, sample),
    api.get<Choices>('/api/v1/designer/choices').catch(() => null),
    import('../designer/modeler'),
  ]);

  const line = status('designer-status');
  const problemList = h('ul', { class: 'problems', 'data-testid': 'problems', 'aria-label': t('designer.problems') });
  const canvas = h('div', { class: 'canvas', 'data-testid': 'canvas' });
  const panel = h('div', { class: 'panel', 'data-testid': 'properties-panel', role: 'region', 'aria-label': t('designer.properties') });
  const designer: Designer = lib.createModeler(canvas, panel, choices);
  let dirty = !!draft;
  let version = journey?.version ?? null;

  const restoreNote = draft ? h('p', { class: 'notice', 'data-testid': 'draft-restored' },
    t('designer.draftRestored', { at: time(draft.savedAt) }), ' ',
    h('button', { type: 'button', 'data-testid': 'discard-draft', onclick: async () => {
      if (!confirm(t('designer.discardConfirm'))) return;
      dropDraft(draftName);
      dirty = false;
      await designer.modeler.importXML(await startingXml(journey, sample));
      restoreNote?.remove();
    } }, t('designer.discard'))) : null;

  const xmlNow = async () => (await designer.modeler.saveXML({ format: true })).xml ?? '';

  const problemsOf = (e: unknown): Problem[] | null =>
    e instanceof ApiError && e.status === 422 && e.problem.problems ? e.problem.problems : null;

  const showProblems = (problems: Problem[]) => {
    designer.show(problems);
    replace(problemList, problems.map(p => h('li', {},
      p.element ? h('button', { type: 'button', class: 'link', onclick: () => designer.select(p.element!) }, p.element) : null,
      p.element ? ': ' : '', p.problem)));
  };

  const validate = async () => {
    say(line, t('designer.validating'));
    try {
      await api.postXml('/api/v1/journeys/validate', await xmlNow());
      showProblems([]);
      say(line, t('designer.valid'), 'ok');
    } catch (e) {
      const problems = problemsOf(e);
      if (problems) {
        showProblems(problems);
        say(line, t('designer.invalid', { n: problems.length }), 'error');
      } else {
        say(line, e instanceof Error ? e.message : String(e), 'error');
      }
    }
  };

  const deploy = async () => {
    say(line, t('designer.deploying'));
    try {
      const answer = await api.postXml<JourneyDeployment>('/api/v1/journeys', await xmlNow());
      const d = answer.body;
      showProblems([]);
      dropDraft(draftName);
      dirty = false;
      version = d.version ?? version;
      say(line, answer.status === 201 ? t('designer.deployed', { key: d.key ?? '', version: d.version ?? '' })
        : t('designer.unchanged', { key: d.key ?? '', version: d.version ?? '' }), 'ok');
      if (!key && d.key) navigate(`journeys/${seg(d.key)}`);
      else await showVersions();
    } catch (e) {
      const problems = problemsOf(e);
      if (problems) {
        showProblems(problems);
        say(line, t('designer.notDeployed', { n: problems.length }), 'error');
      } else {
        say(line, e instanceof Error ? e.message : String(e), 'error');
      }
    }
  };

  const download = async () => {
    const blob = new Blob([await xmlNow()], { type: 'application/xml' });
    const a = h('a', { href: URL.createObjectURL(blob), download: `${key ?? 'journey'}.bpmn` });
    a.click();
    URL.revokeObjectURL(a.href);
  };

  const versions = h('div', { class: 'versions', 'data-testid': 'versions' });
  const showVersions = async () => {
    if (!key) return;
    const j = await api.get<Journey>(`/api/v1/journeys/${seg(key)}`);
    const list = (j.versions ?? []) as { version?: number; deployed_at?: string; created_at?: string }[];
    replace(versions, h('h2', {}, t('designer.versions')),
      h('ul', {}, list.map(v => h('li', {}, h('a', { href: `/console/journeys/${seg(key)}/versions/${v.version}`, 'data-testid': `version-${v.version}` },
        t('designer.version', { version: v.version ?? '' })), ' ', time(v.deployed_at ?? v.created_at)))),
      migrateForm(key, list.map(v => v.version ?? 0).filter(Boolean)));
  };

  const stepPick = h('select', { 'data-testid': 'add-step-select' },
    designer.steps().map(s => h('option', { value: s.id }, s.name)));
  const addStep = h('form', {
    class: 'inline add-step', onsubmit: (e: Event) => { e.preventDefault(); designer.add(stepPick.value); },
  }, field(t('designer.addStep'), stepPick), h('button', { type: 'submit', 'data-testid': 'add-step' }, t('common.add')));

  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t('designer.actions') },
    h('button', { type: 'button', 'data-testid': 'validate', onclick: validate }, t('designer.validate')),
    h('button', { type: 'button', class: 'primary', 'data-testid': 'deploy', onclick: deploy }, t('designer.deploy')),
    h('button', { type: 'button', 'data-testid': 'download', onclick: download }, t('designer.download')));

  const element = h('section', { class: 'designer-page', 'aria-labelledby': 'designer-title' },
    h('div', { class: 'heading' },
      h('h1', { id: 'designer-title' }, key ? `${journey?.name || key}` : t('designer.newTitle')),
      version ? h('span', { class: 'muted', 'data-testid': 'current-version' }, t('designer.version', { version })) : null,
      toolbar),
    restoreNote, line,
    designer.templateErrors.length ? h('p', { class: 'status error' }, designer.templateErrors.join('; ')) : null,
    problemList,
    addStep,
    h('div', { class: 'designer' }, canvas, panel),
    h('p', { class: 'muted' }, t('designer.keys')),
    versions);

  await designer.modeler.importXML(xml);
  let timer = 0;
  designer.modeler.on('commandStack.changed', () => {
    dirty = true;
    clearTimeout(timer);
    timer = window.setTimeout(async () => saveDraft(draftName, await xmlNow(), version), 400);
  });
  await showVersions();
  return {
    element,
    title: key ?? t('designer.newTitle'),
    dirty: () => dirty,
    shown: () => {
      const c = designer.modeler.get<{ resized(): void; zoom(to: string, center?: string): void }>('canvas');
      c.resized();
      c.zoom('fit-viewport', 'auto');
    },
    dispose: () => { clearTimeout(timer); designer.modeler.destroy(); },
  };
};

/** The latest version's file, a shipped journey, or an empty process. */
async function startingXml(journey: Journey | null, sample: string | null): Promise<string> {
  if (journey?.key) return api.getText(`/api/v1/journeys/${seg(journey.key)}/versions/${journey.version}/bpmn`, 'application/xml');
  if (sample) return asCopy(await api.getText(`/api/v1/journeys/samples/${seg(sample)}`, 'application/xml'), sample);
  return BLANK(`journey_${Date.now().toString(36)}`);
}

/**
 * A shipped journey as the start of a new one: its process gets a key of its own (and a name that
 * says it is a copy), so deploying it makes a new journey instead of a new version of the shipped one.
 */
function asCopy(xml: string, sample: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const process = doc.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/MODEL', 'process')[0];
  if (!process) return xml;
  const before = process.getAttribute('id');
  const id = `${sample.replace(/[^A-Za-z0-9_-]/g, '_')}_${Date.now().toString(36)}`;
  process.setAttribute('id', id);
  process.setAttribute('name', t('designer.copyOf', { name: process.getAttribute('name') || sample }));
  for (const plane of Array.from(doc.getElementsByTagNameNS('http://www.omg.org/spec/BPMN/20100524/DI', 'BPMNPlane'))) {
    if (plane.getAttribute('bpmnElement') === before) plane.setAttribute('bpmnElement', id);
  }
  return new XMLSerializer().serializeToString(doc);
}

function migrateForm(key: string, versions: number[]): HTMLElement {
  const options = (blank: string) => [h('option', { value: '' }, blank), ...versions.map(v => h('option', { value: v }, `v${v}`))];
  const from = h('select', { 'data-testid': 'migrate-from' }, options(t('designer.everyOlder')));
  const to = h('select', { 'data-testid': 'migrate-to' }, options(t('designer.latest')));
  const answer = h('div', { 'data-testid': 'migrate-answer', role: 'status', 'aria-live': 'polite' });
  return h('form', {
    class: 'migrate', onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const m = (await api.post<Migration>(`/api/v1/journeys/${seg(key)}/migrate`, {
          from_version: from.value ? Number(from.value) : null, to_version: to.value ? Number(to.value) : null,
        })).body;
        replace(answer, h('p', { class: 'status ok' }, t('designer.migrated', { n: m.migrated ?? 0, version: m.to_version ?? '' })),
          h('ul', {}, (m.by_version ?? []).map(b => h('li', {}, t('designer.migratedFrom', { version: b.from_version ?? '', n: b.instances ?? 0 })))));
      } catch (err) {
        const problems = err instanceof ApiError ? err.problem.problems ?? [] : [];
        replace(answer, h('p', { class: 'status error' }, err instanceof Error ? err.message : String(err)),
          h('ul', {}, problems.map(p => h('li', {}, `${p.element ?? ''} ${p.problem}`))));
      }
    },
  }, h('h2', {}, t('designer.migrate')), field(t('designer.from'), from), field(t('designer.to'), to),
  h('button', { type: 'submit', 'data-testid': 'migrate' }, t('designer.migrateSubmit')), answer);
}

export default page;
