// The operators' console (console/): a single-page app served by Siyu at /console/. Maven runs
// `npm run build-console -- --outDir <target/classes/console>`; the jar serves what lands there.
// Every page is its own chunk, loaded when the router first shows it, so the journeys list and the
// contact pages never load the modeller (bpmn-js and its panels are only in the designer's chunks).
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'console',
  base: '/console/',
  build: {
    outDir: '../target/console',
    emptyOutDir: true,
    // the manifest maps each page to the chunks and styles it loads (bench/console-weight.mjs reads it)
    manifest: true,
    // hashed names under assets/: Siyu serves these immutable, index.html no-cache
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2500,
  },
  server: {
    // `npm run dev-console` against a Siyu on :8080 (the API, the session cookie: same origin through the proxy)
    proxy: { '/api': 'http://localhost:8080' },
    fs: { allow: ['..', '../../bpmn'] },
  },
});
