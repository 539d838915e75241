import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { useSession } from '@/lib/session-store';
import { server } from './msw-server';

// The machine is shared (2 CPUs, other test runs): give async queries room without slowing passing tests.
configure({ asyncUtilTimeout: 4000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  // Tests share no state: the persisted session and the in-memory store both start empty.
  useSession.setState({ token: null, expiresAt: null, user: null, lastLogoutReason: null });
  localStorage.clear();
});
afterAll(() => server.close());
