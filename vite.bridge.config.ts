import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Builds the web bridge's stand-in preload as one classic script (it must run before the app's modules). */
export default defineConfig({
  build: {
    outDir: 'out/web-bridge',
    emptyOutDir: true,
    minify: false,
    lib: { entry: resolve('src/web-bridge/preload.ts'), formats: ['iife'], name: 'LinkDeskBridge', fileName: () => 'preload.js' },
  },
});
