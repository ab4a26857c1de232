import { defineConfig } from 'vite';

/**
 * The casting board, served by the API at /app/ (src/ serves dist/web). JSX goes through Vite's own
 * Oxc transform with Preact's automatic runtime, so no framework plugin is needed.
 */
export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  base: '/app/',
  publicDir: false,
  // `development: false`: a build started with NODE_ENV=test (Jest's global setup) must not emit jsxDEV calls.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact', development: false } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // No inline scripts or data: URLs: the CSP is `script-src 'self'`, and every asset gets a hashed file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
