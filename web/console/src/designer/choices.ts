// Siyu's palette files (bpmn/element-templates, the ones Camunda Modeler loads) name templates,
// rights, segments, tags and event types as free text: a desktop modeller knows no Siyu. In the
// browser the designer knows this Siyu, so before the templates are loaded those fields become
// dropdowns of what exists here (GET /api/v1/designer/choices). A list the server has nothing in
// leaves its field as text, so a journey can still be drawn before its template or right exists.
import type { Choices } from '../api/types';

export interface Choice { name: string; value: string }
export interface TemplateProperty {
  label?: string;
  type: string;
  value?: string;
  description?: string;
  choices?: Choice[];
  binding: { type: string; name: string };
  constraints?: Record<string, unknown>;
}
export interface ElementTemplate { id: string; name: string; properties: TemplateProperty[]; [more: string]: unknown }

/** The field a binding names: `input:<name>` for a camunda:inputParameter, `property:<name>` for a camunda:property. */
function fieldOf(p: TemplateProperty): string {
  if (p.binding.type === 'camunda:inputParameter') return `input:${p.binding.name}`;
  if (p.binding.type === 'camunda:property') return `property:${p.binding.name}`;
  return '';
}

/** Names and values offered for each field, from the server's lists. */
function offers(c: Choices): Record<string, Choice[]> {
  const tags = new Map<string, string>();
  for (const g of c.tag_groups) for (const tag of g.tags) if (!tags.has(tag.name)) tags.set(tag.name, `${tag.name} (${g.name})`);
  const events = c.event_types.map(e => ({ name: e, value: e }));
  return {
    'input:template': c.templates.map(x => ({ name: x.name && x.name !== x.key ? `${x.key} — ${x.name}` : x.key, value: x.key })),
    'input:right': c.rights.map(r => ({ name: `${r.code} — ${r.name}`, value: r.code })),
    'input:tagGroup': c.tag_groups.map(g => ({ name: g.name, value: g.name })),
    'input:tag': [...tags].map(([value, name]) => ({ name, value })),
    'property:siyu.segment': c.segments.map(s => ({ name: `${s.name} (#${s.id})`, value: String(s.id) })),
    'property:siyu.event': events,
  };
}

/** A trigger's event types are a comma-separated list: it stays text, and its description names those seen here. */
function isList(template: ElementTemplate, p: TemplateProperty): boolean {
  return fieldOf(p) === 'property:siyu.event' && template.id === 'io.siyu.journey-start';
}

/** Copies of the templates whose free-text fields offer this Siyu's choices. */
export function withChoices(templates: ElementTemplate[], choices: Choices | null): ElementTemplate[] {
  if (!choices) return templates;
  const byField = offers(choices);
  return templates.map(template => ({
    ...template,
    properties: template.properties.map(p => {
      const offered = byField[fieldOf(p)];
      if (isList(template, p)) {
        return choices.event_types.length
          ? { ...p, description: `${p.description ? p.description + '. ' : ''}${choices.event_types.join(', ')}` }
          : p;
      }
      if (fieldOf(p) === 'input:channel' && p.type === 'Dropdown' && choices.channels.length) {
        const keep = (p.choices ?? []).filter(c => c.value === 'preferred' || choices.channels.includes(c.value));
        const extra = choices.channels.filter(ch => !keep.some(c => c.value === ch)).map(ch => ({ name: ch, value: ch }));
        return { ...p, choices: [...keep, ...extra] };
      }
      if (p.type !== 'String' || !offered || offered.length === 0) return p;
      const blank = p.value === undefined ? [{ name: '', value: '' }] : [];
      return { ...p, type: 'Dropdown', choices: [...blank, ...offered] };
    }),
  }));
}
