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
  return { modeler, templateErrors, ...problemLayer(modeler) };
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
