import { defineConfig } from 'vite';

// The collector serves dist/ under a CSP of `default-src 'self'`: nothing may be inlined into index.html
// and no asset may become a data: URL, so every script, style and font is emitted as its own file.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
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
