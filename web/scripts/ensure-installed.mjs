// Installs web/'s locked dependencies (npm ci) when node_modules is missing or older than
// package-lock.json: a fresh clone, or a pull that changed the lock. Maven runs it before building
// the console and the API reference page, and the tests before running a script of web/, so both see the same tree.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(web, 'package-lock.json');
const tree = join(web, 'node_modules', '.package-lock.json');

if (!existsSync(tree) || statSync(lock).mtimeMs > statSync(tree).mtimeMs) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: web, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm ci in web/ failed (${result.error ?? 'exit ' + result.status})`);
    process.exit(result.status ?? 1);
  }
}
