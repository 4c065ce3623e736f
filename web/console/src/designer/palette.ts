// Siyu's steps in bpmn-js' palette: one entry per element template, which creates the template's
// element with the template applied (as Camunda Modeler does from its create menu). The standard
// BPMN entries stay. Each entry's `data-action` is `siyu-<template>`, e.g. `siyu-send-message`.
import type { ElementTemplate } from './choices';

interface Services {
  palette: { registerProvider(provider: unknown): void; _rebuild(): void };
  create: { start(event: Event, shape: unknown): void };
  elementFactory: { createShape(attrs: Record<string, unknown>): unknown };
  elementTemplates: { getLatest(): ElementTemplate[]; applyTemplate(element: unknown, template: ElementTemplate): unknown };
  eventBus: { on(event: string, priority: number, fn: (e: { context?: { shape?: unknown } }) => void): void };

  translate: (s: string) => string;
}

function SiyuPalette(this: unknown, palette: Services['palette'], create: Services['create'], elementFactory: Services['elementFactory'],
  elementTemplates: Services['elementTemplates'], eventBus: Services['eventBus']) {
  let pending: ElementTemplate | null = null;
  // after diagram-js' own create.end (priority 1000) has added the shape
  eventBus.on('create.end', 250, e => {
    const shape = e.context?.shape;
    if (pending && shape) elementTemplates.applyTemplate(shape, pending);
    pending = null;
  });
  eventBus.on('create.cleanup', 250, () => { pending = null; });
  // the templates arrive after the palette is drawn (elementTemplatesLoader.setTemplates): draw it again
  eventBus.on('elementTemplates.changed', 500, () => palette._rebuild());

  palette.registerProvider({
    getPaletteEntries() {
      const entries: Record<string, unknown> = {};
      for (const template of elementTemplates.getLatest()) {
        const type = (template.elementType as { value?: string } | undefined)?.value ?? (template.appliesTo as string[])[0];
        const start = (event: Event) => {
          pending = template;
          create.start(event, elementFactory.createShape({ type }));
        };
        entries[`siyu-${template.id.replace(/^io\.siyu\./, '')}`] = {
          group: 'siyu',
          className: `siyu-entry ${iconOf(type)}`,
          title: template.name.replace(/^Siyu: /, ''),
          action: { dragstart: start, click: start },
        };
      }
      return entries;
    },
  });
}
SiyuPalette.$inject = ['palette', 'create', 'elementFactory', 'elementTemplates', 'eventBus'];

function iconOf(type: string): string {
  switch (type) {
    case 'bpmn:StartEvent': return 'bpmn-icon-start-event-none';
    case 'bpmn:IntermediateCatchEvent': return 'bpmn-icon-intermediate-event-none';
    case 'bpmn:ExclusiveGateway': return 'bpmn-icon-gateway-xor';
    case 'bpmn:ReceiveTask': return 'bpmn-icon-receive-task';
    default: return 'bpmn-icon-service-task';
  }
}

export default {
  __init__: ['siyuPalette'],
  siyuPalette: ['type', SiyuPalette],
};
