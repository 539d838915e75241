import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { createQueryClient } from '@/lib/query-client';
import { useSession } from '@/lib/session-store';
import type { User } from '@/types/api';
import { tokenFor } from './handlers';

export function signInAs(user: User, expiresInSeconds = 3600) {
  useSession.getState().signIn(tokenFor(user.id), expiresInSeconds, user);
}

export function signOut() {
  useSession.setState({ token: null, user: null, expiresAt: null, lastLogoutReason: null });
}

/** Renders the whole app (real routes, guards and layout) at `path`, with a fresh query cache. */
export async function renderApp(path: string, options: { routes?: RouteObject[] } = {}) {
  const routes = options.routes ?? (await import('@/app/router')).routes;
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...utils, router, queryClient, user: userEvent.setup() };
}

/** Renders one component inside a router + fresh query cache. */
export function renderWithProviders(ui: ReactElement, path = '/') {
  const router = createMemoryRouter([{ path: '*', element: ui }], { initialEntries: [path] });
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  const utils = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...utils, router, queryClient, user: userEvent.setup() };
}
