// bpmn-js and bpmn-js-element-templates publish ES modules for bundlers: their imports name
// files without the ".js" (e.g. 'bpmn-js/lib/util/ModelUtil'), which Node's own resolution
// refuses. Registering these hooks (`node --import ./scripts/bundler-resolution.mjs ...`) lets
// Node load them as a bundler would, so the checks run the libraries' own code.
import { register } from 'node:module';

register('./bundler-resolution-hooks.mjs', import.meta.url);
