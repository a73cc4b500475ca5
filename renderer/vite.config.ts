// Builds the dashboard into renderer/dist. base './' makes every asset path relative, so the same
// build works from file:// in Electron and from the agent's admin server at http://127.0.0.1:<port>/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // No @vitejs/plugin-react: esbuild's automatic JSX runtime is all the build needs.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small app: a single script and stylesheet keep file:// loading simple.
    modulePreload: false,
    reportCompressedSize: false,
    rollupOptions: {
      // zod ships comments Rollup cannot place; harmless, and only noise in the build output.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
  // The contract lives in ../shared; the dev server may read it.
  server: { host: '127.0.0.1', fs: { allow: ['..'] } },
});
