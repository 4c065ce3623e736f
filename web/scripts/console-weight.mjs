// The console's weight: the gzip bytes a browser fetches for a first load of each page, against a
// reference built in the same run — a one-file page importing the libraries the designer needs
// (bpmn-js' Modeler, bpmn-js-properties-panel with the Camunda 7 provider, bpmn-js-element-templates,
// camunda-bpmn-moddle, and their stylesheets) bundled with Vite's defaults.
//
//   npm run console-weight            (in web/; about 15 s)
//
// A page's first load is index.html, the entry chunk and what it imports, the page's chunk and what
// it imports, and the chunks the page itself loads on opening (its dynamic imports: the designer's
// modeller, an old version's viewer), each with its stylesheets: Vite's manifest
// (.vite/manifest.json) lists them. Fonts referenced by a stylesheet are not counted: bpmn-js' icon
// font is inline (a data: URL), and its .eot/.svg fallbacks are fetched only by browsers without
// woff. Every file is gzipped at level 9, as Siyu serves them; the reference the same way.
// Goals (issue 19): the designer ≤ 1.1 × the reference; the journeys list and contact pages ≤ 0.25 ×.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(web, 'target', 'weight');

const PAGES = {
  'sign-in': 'src/pages/sign-in.ts',
  'journeys list': 'src/pages/journeys.ts',
  'contact search': 'src/pages/contacts.ts',
  'contact 360': 'src/pages/contact.ts',
  'templates list': 'src/pages/templates.ts',
  'template': 'src/pages/template.ts',
  'old version (viewer)': 'src/pages/journey-version.ts',
  'designer': 'src/pages/designer.ts',
};
const GOALS = { 'designer': 1.1, 'journeys list': 0.25, 'contact search': 0.25, 'contact 360': 0.25 };

const REFERENCE = `
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import { ElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';

new BpmnModeler({
  container: '#canvas',
  propertiesPanel: { parent: '#panel' },
  additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule,
    ElementTemplatesPropertiesProviderModule],
  moddleExtensions: { camunda: camundaModdle },
});
`;

function gz(file) {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** The files a first load fetches: index.html, then each chunk's static imports and stylesheets, recursively. */
function loadSet(manifest, keys) {
  const files = new Set();
  const visit = key => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    (chunk.css ?? []).forEach(css => files.add(css));
    (chunk.imports ?? []).forEach(visit);
  };
  keys.forEach(visit);
  return files;
}

function weigh(outDir, files) {
  let raw = 0, gzip = 0;
  for (const f of ['index.html', ...files]) {
    const size = gz(join(outDir, f));
    raw += size.raw;
    gzip += size.gzip;
  }
  return { raw, gzip, files: files.size + 1 };
}

async function buildConsole() {
  const outDir = join(work, 'console');
  await build({ configFile: join(web, 'vite.config.mjs'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  const weights = {};
  for (const [page, source] of Object.entries(PAGES)) {
    const opened = manifest[source].dynamicImports ?? [];
    weights[page] = weigh(outDir, loadSet(manifest, ['index.html', source, ...opened]));
  }
  return weights;
}

async function buildReference() {
  const root = join(work, 'reference-src');
  const outDir = join(work, 'reference');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'main.js'), REFERENCE);
  writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>reference</title></head>'
    + '<body><div id="canvas"></div><div id="panel"></div><script type="module" src="./main.js"></script></body></html>');
  // Vite's defaults: no config file, only where the page is and where the bundle goes
  await build({ root, configFile: false, logLevel: 'error', build: { outDir, emptyOutDir: true, manifest: true } });
  const manifest = JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8'));
  return weigh(outDir, loadSet(manifest, ['index.html']));
}

const kb = n => `${(n / 1000).toFixed(1)} kB`;
const reference = await buildReference();
const pages = await buildConsole();
const rows = Object.entries(pages).map(([page, w]) => {
  const ratio = w.gzip / reference.gzip;
  const goal = GOALS[page];
  return `| ${page} | ${w.files} | ${kb(w.raw)} | **${kb(w.gzip)}** | ${ratio.toFixed(3)} | ${goal ? `≤ ${goal}` : '—'} | ${goal ? (ratio <= goal ? 'pass' : 'FAIL') : ''} |`;
});
console.log(`Reference (one page: bpmn-js Modeler, properties panel, Camunda 7 provider, element templates; Vite defaults): `
  + `${reference.files} files, ${kb(reference.raw)}, ${kb(reference.gzip)} gzip\n`);
console.log('| page | files | raw | gzip | ÷ reference | goal | result |');
console.log('|---|---|---|---|---|---|---|');
rows.forEach(r => console.log(r));
const failed = rows.filter(r => r.endsWith('FAIL |'));
process.exitCode = failed.length ? 1 : 0;
