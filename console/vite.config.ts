import { defineConfig } from 'vite';

// Served by the gateway at /console (gateway/console-route.ts); no inline scripts, so the page runs under a
// strict Content-Security-Policy.
export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: '/console/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  oxc: { jsx: { runtime: 'automatic' } },
});
