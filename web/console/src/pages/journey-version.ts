// One deployed version, read-only, in bpmn-js' NavigatedViewer (no modeller loaded).
import { api, seg } from '../api/client';
import { h } from '../dom';
import { t } from '../i18n';
import type { PageFactory } from '../router';
import { can } from '../session';

const page: PageFactory = async ({ params }) => {
  const { key, version } = params;
  const [xml, viewer] = await Promise.all([
    api.getText(`/api/v1/journeys/${seg(key)}/versions/${seg(version)}/bpmn`, 'application/xml'),
    import('../designer/viewer'),
  ]);
  const canvas = h('div', { class: 'canvas', 'data-testid': 'viewer', role: 'img', 'aria-label': t('version.diagram', { key, version }) });
  const element = h('section', { 'aria-labelledby': 'version-title' },
    h('div', { class: 'heading' }, h('h1', { id: 'version-title' }, `${key} · ${t('designer.version', { version })}`),
      h('span', { class: 'badge' }, t('version.readOnly')),
      can('edit') ? h('a', { class: 'button', href: `/console/journeys/${seg(key)}`, 'data-testid': 'open-designer' }, t('version.edit')) : null),
    h('div', { class: 'designer read-only' }, canvas));
  // the viewer measures its container: draw once the page is in the document
  let drawn: { destroy(): void } | null = null;
  return {
    element, title: `${key} v${version}`,
    shown: () => void viewer.showDiagram(canvas, xml).then(v => { drawn = v; }),
    dispose: () => drawn?.destroy(),
  };
};

export default page;
