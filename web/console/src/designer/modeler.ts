// The modeller: bpmn-js with the properties panel, the Camunda 7 provider and moddle, Camunda 7's
// modelling behaviours, element templates (the palette files of bpmn/element-templates, bundled at
// build time) with their chooser, and Siyu's palette entries. Loaded only by the designer page.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import '@bpmn-io/element-template-chooser/dist/element-template-chooser.css';
import './designer.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import { ElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import ElementTemplateChooserModule from '@bpmn-io/element-template-chooser';
import CamundaPlatformBehaviors from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import type { Choices } from '../api/types';
import { withChoices, type ElementTemplate } from './choices';
import SiyuPaletteModule from './palette';

/** Every file of bpmn/element-templates, as Camunda Modeler reads the folder. */
const files = import.meta.glob<ElementTemplate | ElementTemplate[]>('../../../../bpmn/element-templates/*.json', { eager: true, import: 'default' });
export const PALETTE: ElementTemplate[] = Object.keys(files).sort().flatMap(f => files[f]);

export interface Problem { element: string | null; problem: string }

export interface Designer {
  modeler: BpmnModeler;
  /** What the loader refused of the palette (shown, as Camunda Modeler shows them). */
  templateErrors: string[];
  show(problems: Problem[]): void;
  clearProblems(): void;
  select(elementId: string): void;
  /** Siyu's steps, for the keyboard's "add a step" (the palette is for the mouse). */
  steps(): { id: string; name: string }[];
  /** Adds a step after the selected element (connected to it), or on its own; then selects it. */
  add(templateId: string): void;
}

export function createModeler(canvas: HTMLElement, panel: HTMLElement, choices: Choices | null): Designer {
  const modeler = new BpmnModeler({
    container: canvas,
    propertiesPanel: { parent: panel },
    additionalModules: [
      BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule,
      ElementTemplatesPropertiesProviderModule, ElementTemplateChooserModule, CamundaPlatformBehaviors, SiyuPaletteModule,
    ],
    moddleExtensions: { camunda: camundaModdle },
  });
  const templateErrors: string[] = [];
  const bus = modeler.get<{ on(e: string, fn: (x: { errors: Error[] }) => void): void }>('eventBus');
  bus.on('elementTemplates.errors', e => templateErrors.push(...e.errors.map(x => x.message)));
  modeler.get<{ setTemplates(t: ElementTemplate[]): void }>('elementTemplatesLoader').setTemplates(withChoices(PALETTE, choices));
  return { modeler, templateErrors, ...problemLayer(modeler), ...keyboardSteps(modeler) };
}

interface Shape { id: string; x: number; y: number; width: number; type: string; waypoints?: unknown; parent?: Shape }

/** The palette's steps without a mouse: append one after the selection, the way the context pad's append does. */
function keyboardSteps(modeler: BpmnModeler) {
  const templates = modeler.get<{ getLatest(): ElementTemplate[]; applyTemplate(e: Shape, t: ElementTemplate): Shape }>('elementTemplates');
  const steps = () => templates.getLatest().map(t => ({ id: t.id, name: t.name.replace(/^Siyu: /, '') }));
  const add = (templateId: string) => {
    const template = templates.getLatest().find(t => t.id === templateId);
    if (!template) return;
    const type = (template.elementType as { value?: string } | undefined)?.value ?? (template.appliesTo as string[])[0];
    const shape = modeler.get<{ createShape(a: { type: string }): Shape }>('elementFactory').createShape({ type });
    const selection = modeler.get<{ get(): Shape[]; select(e: Shape): void }>('selection');
    const [after] = selection.get().filter(e => !e.waypoints && e.type !== 'bpmn:Process');
    const canvas = modeler.get<{ getRootElement(): Shape; viewbox(): { x: number; y: number; height: number }; scrollToElement(e: Shape): void }>('canvas');
    // on its own: right of the palette, halfway down what is in view
    const view = canvas.viewbox();
    const placed = after && !after.type.endsWith('EndEvent')
      ? modeler.get<{ append(source: Shape, shape: Shape): Shape }>('autoPlace').append(after, shape)
      : modeler.get<{ createShape(s: Shape, at: { x: number; y: number }, parent: Shape): Shape }>('modeling')
        .createShape(shape, { x: view.x + 320, y: view.y + view.height / 2 }, canvas.getRootElement());
    const applied = templates.applyTemplate(placed, template);
    selection.select(applied);
    canvas.scrollToElement(applied);
  };
  return { steps, add };
}

interface Overlays { add(id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }): string; remove(filter: { type: string }): void }
interface Canvas { addMarker(id: string, marker: string): void; removeMarker(id: string, marker: string): void; scrollToElement(e: unknown): void }
interface Registry { get(id: string): unknown }

/** The server's problems drawn on the elements they name: a marker and the message beside it. */
function problemLayer(modeler: BpmnModeler) {
  const overlays = modeler.get<Overlays>('overlays');
  const canvas = modeler.get<Canvas>('canvas');
  const registry = modeler.get<Registry>('elementRegistry');
  let marked: string[] = [];
  const clearProblems = () => {
    overlays.remove({ type: 'siyu-problem' });
    for (const id of marked) canvas.removeMarker(id, 'siyu-problem');
    marked = [];
  };
  const show = (problems: Problem[]) => {
    clearProblems();
    for (const p of problems) {
      if (!p.element || !registry.get(p.element)) continue;
      canvas.addMarker(p.element, 'siyu-problem');
      marked.push(p.element);
      const note = document.createElement('div');
      note.className = 'siyu-problem-note';
      note.setAttribute('data-testid', `problem-on-${p.element}`);
      note.textContent = p.problem;
      overlays.add(p.element, 'siyu-problem', { position: { bottom: -4, left: 0 }, html: note });
    }
  };
  const select = (id: string) => {
    const element = registry.get(id);
    if (!element) return;
    modeler.get<{ select(e: unknown): void }>('selection').select(element);
    canvas.scrollToElement(element);
  };
  return { show, clearProblems, select };
}
