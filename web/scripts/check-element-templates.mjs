// Checks a folder of Camunda 7 element templates (Siyu's palette: bpmn/element-templates) the way
// Camunda Modeler and bpmn-js load them, so a palette file they would refuse fails the build:
//
// 1. every file is JSON holding a template or an array of templates;
// 2. every template is valid against the element-templates JSON schema, by bpmn.io's own
//    validator (@bpmn-io/element-templates-validator);
// 3. all templates together pass bpmn-js-element-templates' loader (ElementTemplatesLoader, the
//    code behind `elementTemplatesLoader.setTemplates` and the `elementTemplates.errors` event),
//    which also refuses what the schema cannot see: an `elementType` that is not one of the
//    `appliesTo` types or that one of them cannot morph into, an id and version used twice,
//    an unsupported schema version, an invalid engines range.
//
// Usage: npm run check-element-templates [-- <folder>]   (default: the repository's bpmn/element-templates)
// Prints one line per problem and exits 1, or prints what loaded and exits 0.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '@bpmn-io/element-templates-validator';
import { ElementTemplatesCoreModule } from 'bpmn-js-element-templates/core';
import EventBus from 'diagram-js/lib/core/EventBus.js';
import { BpmnModdle } from 'bpmn-moddle';

const camunda = createRequire(import.meta.url)('camunda-bpmn-moddle/resources/camunda.json');

/** The templates of each .json file in {@code dir}, or a problem for a file that is not templates. */
function readFolder(dir, problems) {
  const templates = [];
  for (const file of readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
    let content;
    try {
      content = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (e) {
      problems.push(`${file}: not JSON: ${e.message}`);
      continue;
    }
    for (const template of Array.isArray(content) ? content : [ content ]) {
      templates.push({ file, template });
    }
  }
  return templates;
}

function describe(template) {
  return template && typeof template === 'object' ? `template <${template.id}>` : 'template';
}

/** Step 2: the JSON schema, through bpmn.io's validator. */
function checkSchema(templates, problems) {
  for (const { file, template } of templates) {
    const { valid, errors } = validate(template);
    if (!valid) {
      for (const error of errors) {
        problems.push(`${file}: ${describe(template)}: ${error.instancePath || '/'}: ${error.message}`);
      }
    }
  }
}

/**
 * Step 3: bpmn-js-element-templates' loader, as a modeler runs it: the templates it accepts and
 * the errors it fires as `elementTemplates.errors`. Built without a canvas: the loader needs only
 * the event bus, the element templates registry and the BPMN moddle (with Camunda's extension, as
 * Siyu's designer and Camunda Modeler have it).
 */
function checkLoader(templates, problems) {
  const ElementTemplates = ElementTemplatesCoreModule.elementTemplates[1];
  const ElementTemplatesLoader = ElementTemplatesCoreModule.elementTemplatesLoader[1];
  const eventBus = new EventBus();
  const elementTemplates = new ElementTemplates(null, eventBus, null, null, {});
  const loader = new ElementTemplatesLoader(null, eventBus, elementTemplates, new BpmnModdle({ camunda }));
  const errors = [];
  eventBus.on('elementTemplates.errors', event => errors.push(...event.errors));
  loader.setTemplates(templates.map(t => t.template));
  for (const error of errors) {
    const from = templates.find(t => t.template === error.template);
    problems.push(`${from ? from.file : '(palette)'}: ${error.message}`);
  }
  return elementTemplates.getAll().length;
}

const dir = process.argv[2] || fileURLToPath(new URL('../../bpmn/element-templates', import.meta.url));
const problems = [];
const templates = readFolder(dir, problems);
checkSchema(templates, problems);
const loaded = checkLoader(templates, problems);
if (loaded !== templates.length && problems.length === 0) {
  problems.push(`only ${loaded} of ${templates.length} templates load`);
}
if (problems.length) {
  problems.forEach(p => console.log(p));
  console.log(`${loaded} of ${templates.length} templates load`);
  process.exit(1);
}
console.log(`${loaded} of ${templates.length} templates in ${dir} load`);
