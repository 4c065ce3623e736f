// Renders the API contract (src/main/resources/openapi.yaml) into one HTML page with Redoc, its
// scripts inline (--inlineBundle), so the page loads nothing from a CDN. Maven runs it during the
// build (npm run build-api-docs -- --output <file>). Redocly's notices are shown only when it fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const result = spawnSync(process.execPath, [cli, 'build-docs', '../src/main/resources/openapi.yaml',
  '--inlineBundle', '--title', 'Siyu API', ...process.argv.slice(2)], {
  encoding: 'utf8',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? String(result.error ?? ''));
  process.exit(result.status ?? 1);
}

// The page must load nothing from elsewhere (its Content-Security-Policy forbids it, so each try is a
// console error): Redoc's "API docs by" logo comes from Redocly's CDN, so the attribution is drawn in
// place as a small inline SVG; and the browser's own request for /favicon.ico is answered by an
// empty inline icon.
const output = process.argv[process.argv.indexOf('--output') + 1];
const credit = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='64' height='16'%3E"
  + "%3Ctext x='0' y='12' font-family='sans-serif' font-size='12' fill='%23333'%3ERedocly%3C/text%3E%3C/svg%3E";
const html = readFileSync(output, 'utf8')
  .replaceAll(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g, credit)
  .replace('<meta charset="utf8" />', '<meta charset="utf8" />\n  <link rel="icon" href="data:,">');
if (html.includes('cdn.redoc.ly') || !html.includes('rel="icon"')) {
  console.error(`${output}: Redoc's page changed shape; the logo or icon could not be made local`);
  process.exit(1);
}
writeFileSync(output, html);
