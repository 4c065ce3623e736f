// The designer's choices (console/src/designer/choices.ts) on the real palette files: fields become
// dropdowns of what the server offers, and the templates so changed still load in bpmn.io's
// element-templates library, as the browser loads them. Run: npm run test-console
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ElementTemplatesCoreModule } from 'bpmn-js-element-templates/core';
import EventBus from 'diagram-js/lib/core/EventBus.js';
import { BpmnModdle } from 'bpmn-moddle';

const here = fileURLToPath(new URL('.', import.meta.url));
const source = readFileSync(join(here, '../src/designer/choices.ts'), 'utf8');
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
const { withChoices } = await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`);

const folder = join(here, '../../../bpmn/element-templates');
const palette = readdirSync(folder).filter(f => f.endsWith('.json')).sort()
  .flatMap(f => [JSON.parse(readFileSync(join(folder, f), 'utf8'))].flat());

const choices = {
  templates: [{ key: 'welcome', name: '欢迎', channels: ['sms'] }, { key: 'birthday', name: 'birthday', channels: [] }],
  rights: [{ code: 'new_member_pack', name: '新人大礼包' }],
  segments: [{ id: 7, name: '高价值' }],
  tag_groups: [{ id: 1, name: '客户阶段', tags: [{ id: 1, name: '新客' }, { id: 2, name: '老客' }] }, { id: 2, name: '兴趣', tags: [{ id: 3, name: '新客' }] }],
  event_types: ['member.registered', 'order.paid'],
  channels: ['sms', 'email', 'log'],
};

const field = (templates, id, bindingName) =>
  templates.find(t => t.id === id).properties.find(p => p.binding.name === bindingName);

/** bpmn-js-element-templates' loader, as the modeller runs it: what it accepts and the errors it fires. */
function load(templates) {
  const camunda = createRequire(import.meta.url)('camunda-bpmn-moddle/resources/camunda.json');
  const [, ElementTemplates] = ElementTemplatesCoreModule.elementTemplates;
  const [, Loader] = ElementTemplatesCoreModule.elementTemplatesLoader;
  const bus = new EventBus();
  const registry = new ElementTemplates(null, bus, null, null, {});
  const errors = [];
  bus.on('elementTemplates.errors', e => errors.push(...e.errors.map(x => x.message)));
  new Loader(null, bus, registry, new BpmnModdle({ camunda })).setTemplates(templates);
  return { loaded: registry.getAll().length, errors };
}

test('free-text fields offer what the server has', () => {
  const t = withChoices(palette, choices);
  const template = field(t, 'io.siyu.send-message', 'template');
  assert.equal(template.type, 'Dropdown');
  assert.deepEqual(template.choices.map(c => c.value), ['', 'welcome', 'birthday']);
  assert.equal(template.choices[1].name, 'welcome — 欢迎');
  assert.deepEqual(field(t, 'io.siyu.send-message', 'channel').choices.map(c => c.value), ['preferred', 'sms', 'email', 'log']);
  assert.deepEqual(field(t, 'io.siyu.grant-right', 'right').choices.map(c => c.value), ['', 'new_member_pack']);
  assert.deepEqual(field(t, 'io.siyu.add-tag', 'tagGroup').choices.map(c => c.value), ['', '客户阶段', '兴趣']);
  assert.deepEqual(field(t, 'io.siyu.add-tag', 'tag').choices.map(c => c.value), ['', '新客', '老客'], 'a tag name once');
  assert.deepEqual(field(t, 'io.siyu.journey-start', 'siyu.segment').choices.map(c => c.value), ['', '7']);
  assert.equal(field(t, 'io.siyu.wait-for-event', 'siyu.event').type, 'Dropdown');
  const trigger = field(t, 'io.siyu.journey-start', 'siyu.event');
  assert.equal(trigger.type, 'String', 'a trigger lists several event types: it stays text');
  assert.match(trigger.description, /member\.registered, order\.paid/);
});

test('an empty list leaves its field as text, and no choices leave the palette as it is', () => {
  const t = withChoices(palette, { ...choices, templates: [], rights: [] });
  assert.equal(field(t, 'io.siyu.send-message', 'template').type, 'String');
  assert.equal(field(t, 'io.siyu.grant-right', 'right').type, 'String');
  assert.equal(withChoices(palette, null), palette);
  assert.equal(field(palette, 'io.siyu.send-message', 'template').type, 'String', 'the files themselves are not changed');
});

test('the palette with choices loads in the element-templates library without errors', () => {
  const plain = load(palette);
  assert.deepEqual(plain.errors, []);
  const chosen = load(withChoices(palette, choices));
  assert.deepEqual(chosen.errors, []);
  assert.equal(chosen.loaded, palette.length);
});
