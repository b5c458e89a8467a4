import { defineConfig } from 'vite';

// The collector serves dist/ under a CSP of `default-src 'self'`: nothing may be inlined into index.html
// and no asset may become a data: URL, so every script, style and font is emitted as its own file.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npx vite` in dashboards/ serves the UI with hot reload against a collector on the default port.
  server: { proxy: { '/api': 'http://127.0.0.1:4319' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: false,
  },
});
