import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('integration keys', () => {
  it('an admin creates a key, sees it once, and revokes one', { timeout: 30_000 }, async () => {
    const list = [{ id: 1, site: 'old.example', prefix: 'evk_abcdefgh', created_at: '2026-11-01T10:00:00Z', last_used_at: null, revoked_at: null }];
    let revoked: unknown = null;
    server.use(
      http.get('*/admin/integration-keys/', () => HttpResponse.json(list)),
      http.post('*/admin/integration-keys/', () =>
        HttpResponse.json({ id: 2, site: 'www.example.com', prefix: 'evk_12345678', key: 'evk_12345678secret', created_at: '2026-12-01T10:00:00Z' }, { status: 201 }),
      ),
      http.delete('*/admin/integration-keys/:id', ({ params }) => {
        revoked = params.id;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    signInAs(userByRole('admin'));
    const { user } = await renderApp('/admin/users');
    await user.type(await screen.findByLabelText('Site'), 'www.example.com');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByText('evk_12345678secret')).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Integration keys' });
    await user.click(within(table).getByRole('button', { name: 'Revoke old.example' }));
    await vi.waitFor(() => expect(revoked).toBe('1'));
  });
});
