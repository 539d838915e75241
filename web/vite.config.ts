import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Every path the server answers; the dev server forwards them so the app runs same-origin as in production.
const apiPrefixes = [
  '/auth', '/properties', '/leads', '/calls', '/showings', '/reports', '/admin', '/users', '/campaigns',
  '/health', '/metrics', '/docs', '/openapi', '/hubs', '/voice',
];
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    port: 3000,
    proxy: Object.fromEntries(
      apiPrefixes.map((prefix) => [
        prefix,
        {
          target: apiTarget,
          changeOrigin: true,
          ws: prefix === '/hubs' || prefix === '/voice',
          // Client-side routes share names with API prefixes (/calls, /leads ...): a browser navigation asks
          // for HTML and must get the SPA, while fetch() asks for JSON and goes to the API.
          bypass: (req: { headers: Record<string, string | string[] | undefined> }) =>
            String(req.headers.accept ?? '').includes('text/html') ? '/index.html' : undefined,
        },
      ]),
    ),
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 600,
  },
  test: {
    globals: true,
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // Tests that render the whole app and type into it take 1-2 s on a quiet machine and over 5 s (vitest's default)
    // when the machine is busy with the .NET suite or a build: a ceiling for a slow machine, not a wait.
    testTimeout: 15_000,
    pool: 'threads',
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } },
  },
});
