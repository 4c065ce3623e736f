// One template: its variants, a new version edited from any version (Liquid), a preview for a
// contact and channel as the contact would see it, and a test send.
import { api, ApiError, seg } from '../api/client';
import type { Preview, PreviewInput, Template, TemplateVariant, TemplateVersion } from '../api/types';
import { field, h, replace, say, status, timeEl } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { can } from '../session';

const CHANNELS = ['default', 'wecom', 'sms', 'email', 'webhook', 'log'] as const;
const PREVIEW_CHANNELS = ['wecom', 'sms', 'email', 'webhook', 'log'] as const;

const page: PageFactory = async ({ params }) => {
  const key = params.key;
  const template = await api.get<Template>(`/api/v1/templates/${seg(key)}`);
  const editable = can('edit');
  const editor = h('div', { class: 'variants', 'data-testid': 'variants' });
  const line = status('template-status');
  let variants: TemplateVariant[] = (template.current?.variants ?? []).map(v => ({ ...v }));
  let dirty = false;

  const showVariants = () => replace(editor, variants.map((v, i) => variantFields(v, i, editable, () => { dirty = true; }, () => {
    variants.splice(i, 1);
    dirty = true;
    showVariants();
  })));
  showVariants();

  const versionPick = h('select', { 'data-testid': 'template-version-select' },
    (template.versions ?? []).slice().reverse().map(v => h('option', { value: v.version ?? '' }, `v${v.version}${v.version === template.current_version ? ` (${t('templates.current')})` : ''}`)));
  versionPick.value = String(template.current_version ?? '');
  versionPick.addEventListener('change', async () => {
    const v = await api.get<TemplateVersion>(`/api/v1/templates/${seg(key)}/versions/${versionPick.value}`);
    variants = (v.variants ?? []).map(x => ({ ...x }));
    showVariants();
  });

  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const answer = await api.post<TemplateVersion>(`/api/v1/templates/${seg(key)}/versions`, { variants: variants.map(clean) });
      dirty = false;
      say(line, answer.status === 201 ? t('templates.saved', { version: answer.body.version ?? '' }) : t('templates.unchanged', { version: answer.body.version ?? '' }), 'ok');
    } catch (err) {
      const errors = err instanceof ApiError ? err.problem.errors ?? [] : [];
      say(line, [err instanceof Error ? err.message : String(err), ...errors.map(x => `${x.field}: ${x.message}`)].join(' · '), 'error');
    }
  };

  const element = h('section', { 'aria-labelledby': 'template-title' },
    h('div', { class: 'heading' }, h('h1', { id: 'template-title' }, key),
      h('span', { class: 'muted' }, `${template.kind ? t(`kind.${template.kind}`) : ''} · v${template.current_version ?? ''}`)),
    template.description ? h('p', {}, template.description) : null,
    h('form', { class: 'template-edit', onsubmit: save, 'aria-labelledby': 'edit-title' },
      h('h2', { id: 'edit-title' }, editable ? t('templates.newVersion') : t('templates.variants')),
      field(t('templates.startFrom'), versionPick),
      editor,
      editable ? h('div', { class: 'actions' },
        h('button', { type: 'button', 'data-testid': 'add-variant', onclick: () => {
          variants.push({ channel: 'sms', locale: 'zh-CN', body: '' });
          dirty = true;
          showVariants();
        } }, t('templates.addVariant')),
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'save-version' }, t('templates.save'))) : null,
      line),
    previewPart(key, editable),
    h('h2', {}, t('templates.versions')),
    h('ul', {}, (template.versions ?? []).map(v => h('li', {}, `v${v.version} `, timeEl(v.created_at), v.created_by ? ` · ${v.created_by}` : '', v.source ? ` · ${v.source}` : ''))));
  return { element, title: key, dirty: () => dirty };
};

function clean(v: TemplateVariant): TemplateVariant {
  const out: TemplateVariant = { channel: v.channel, locale: v.locale, body: v.body };
  if (v.format) out.format = v.format;
  if (v.channel === 'email' || v.subject) out.subject = v.subject ?? '';
  return out;
}

function variantFields(v: TemplateVariant, i: number, editable: boolean, changed: () => void, remove: () => void): HTMLElement {
  const on = (apply: (value: string) => void) => (e: Event) => { apply((e.target as HTMLInputElement).value); changed(); };
  const channel = h('select', { disabled: !editable, 'data-testid': `variant-channel-${i}`, onchange: on(x => { v.channel = x as TemplateVariant['channel']; }) },
    CHANNELS.map(c => h('option', { value: c }, c)));
  channel.value = v.channel;
  const locale = h('input', { value: v.locale, disabled: !editable, 'data-testid': `variant-locale-${i}`, oninput: on(x => { v.locale = x; }) });
  const subject = h('input', { value: v.subject ?? '', disabled: !editable, 'data-testid': `variant-subject-${i}`, oninput: on(x => { v.subject = x || null; }) });
  const body = h('textarea', { rows: 6, spellcheck: false, disabled: !editable, class: 'code', 'data-testid': `variant-body-${i}`, oninput: on(x => { v.body = x; }) });
  body.value = v.body;
  return h('fieldset', { class: 'variant' }, h('legend', {}, `${v.channel} · ${v.locale}`),
    h('div', { class: 'row' }, field(t('templates.channel'), channel), field(t('templates.locale'), locale), field(t('templates.subject'), subject)),
    field(t('templates.body'), body, t('templates.liquid')),
    editable ? h('button', { type: 'button', 'data-testid': `remove-variant-${i}`, onclick: remove }, t('templates.removeVariant')) : null);
}

/** Preview for a contact and channel (email HTML in a sandboxed frame: no scripts, no same origin), and test-send. */
function previewPart(key: string, editable: boolean): HTMLElement {
  const contact = h('input', { type: 'number', min: 1, required: true, 'data-testid': 'preview-contact' });
  const channel = h('select', { 'data-testid': 'preview-channel' }, PREVIEW_CHANNELS.map(c => h('option', { value: c }, c)));
  const locale = h('input', { placeholder: 'zh-CN', 'data-testid': 'preview-locale' });
  const variables = h('textarea', { rows: 3, class: 'code', placeholder: '{"coupon": {"code": "A1"}}', 'data-testid': 'preview-variables' });
  const out = h('div', { class: 'preview', 'data-testid': 'preview-output', 'aria-live': 'polite' });
  const line = status('preview-status');

  const preview = async (e: Event) => {
    e.preventDefault();
    let vars: Record<string, unknown> | null = null;
    try {
      vars = variables.value.trim() ? JSON.parse(variables.value) : null;
    } catch {
      say(line, t('templates.badJson'), 'error');
      return;
    }
    const body: PreviewInput = { contact_id: Number(contact.value), channel: channel.value as PreviewInput['channel'], locale: locale.value.trim() || null, variables: vars as PreviewInput['variables'] };
    try {
      const p = (await api.post<Preview>(`/api/v1/templates/${seg(key)}/preview`, body)).body;
      say(line, t('templates.rendered', { version: p.version ?? '', locale: p.locale ?? '' }), 'ok');
      replace(out, rendered(p));
    } catch (err) {
      replace(out);
      say(line, err instanceof Error ? err.message : String(err), 'error');
    }
  };
  const testSend = async () => {
    try {
      await api.post(`/api/v1/templates/${seg(key)}/test-send`, { contact_id: Number(contact.value), channel: channel.value });
      say(line, t('templates.sent'), 'ok');
    } catch (err) {
      say(line, err instanceof Error ? err.message : String(err), 'error');
    }
  };
  return h('form', { class: 'template-preview', onsubmit: preview, 'aria-labelledby': 'preview-title' },
    h('h2', { id: 'preview-title' }, t('templates.preview')),
    h('div', { class: 'row' }, field(t('templates.contactId'), contact), field(t('templates.channel'), channel), field(t('templates.locale'), locale)),
    field(t('templates.variables'), variables),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'preview' }, t('templates.previewSubmit')),
      editable ? h('button', { type: 'button', 'data-testid': 'test-send', onclick: testSend }, t('templates.testSend')) : null),
    line, out);
}

function rendered(p: Preview): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (p.subject) parts.push(h('p', {}, h('strong', {}, `${t('templates.subject')}: `), p.subject));
  if (p.html) {
    // sandbox="" : the message's HTML runs no script and has no access to the console's origin
    parts.push(h('iframe', { sandbox: '', srcdoc: p.html, title: t('templates.emailFrame'), class: 'email-frame', 'data-testid': 'preview-html' }));
  }
  if (p.text && !p.html) parts.push(h('pre', { class: `message ${p.channel}`, 'data-testid': 'preview-text' }, p.text));
  else if (p.text) parts.push(h('details', {}, h('summary', {}, t('templates.textVersion')), h('pre', { 'data-testid': 'preview-text' }, p.text)));
  if (p.links?.length) parts.push(h('p', { class: 'muted' }, `${t('templates.links')}: ${p.links.join(' ')}`));
  return parts;
}

export default page;
