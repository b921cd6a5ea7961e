import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w packages/web` proxies the API to a Kerf server on KERF_API (default :8080).
const api = process.env.KERF_API ?? 'http://127.0.0.1:8080';

// Two entries: the planner web app (index.html, served at /) and the floor app (floor.html,
// served at /floor: its own bundle, so a tablet loads no planner code).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        floor: fileURLToPath(new URL('./floor.html', import.meta.url)),
      },
    },
  },
  server: { proxy: { '/api': { target: api, ws: true } } },
});
