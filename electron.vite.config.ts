import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/shared/csp';

/** Puts the CSP into index.html; the dev server needs its HMR websocket and inline preamble. */
function cspPlugin(): Plugin {
  let isDev = false;
  return {
    name: 'link-desk-csp',
    configResolved(config) {
      isDev = config.command === 'serve';
    },
    transformIndexHtml(html) {
      const policy = contentSecurityPolicy({ dev: isDev });
      return html.replace('<!-- CSP -->', `<meta http-equiv="Content-Security-Policy" content="${policy}" />`);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: { input: { index: resolve('src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ES modules or node_modules: one self-contained CommonJS file.
      externalizeDeps: false,
      // Main window and customer display each get a standalone file: a sandboxed preload can require only 'electron'.
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts'), 'customer-display': resolve('src/preload/customer-display.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react(), cspPlugin()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
