// Renders the API contract (src/main/resources/openapi.yaml) into one HTML page with Redoc, its
// scripts inline (--inlineBundle), so the page loads nothing from a CDN. Maven runs it during the
// build (npm run build-api-docs -- --output <file>). Redocly's notices are shown only when it fails.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

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
