import { defineConfig } from 'vite';

// GraphiQL bundled from npm and served by the gateway at /explorer (gateway/explorer-route.ts): every script,
// style sheet and font comes from the hub itself, so the explorer works where the internet cannot be reached.
export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: '/explorer/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    // Fonts and images inline or as files of the hub, never fetched from elsewhere.
    assetsInlineLimit: 0,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
