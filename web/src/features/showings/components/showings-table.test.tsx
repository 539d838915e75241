import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { showings, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('showings table', () => {
  it('cancels only after confirmation and undoes the cancellation from the toast', async () => {
    let status = 'scheduled';
    const calls: string[] = [];
    server.use(
      http.get('*/showings/', () => HttpResponse.json({ items: [{ ...showings[0], status }], total: 1, page: 1, page_size: 20 })),
      http.post('*/showings/:id/cancel', ({ params }) => {
        calls.push(`cancel ${String(params.id)}`);
        status = 'canceled';
        return HttpResponse.json({ ...showings[0], status });
      }),
      http.post('*/showings/:id/restore', ({ params }) => {
        calls.push(`restore ${String(params.id)}`);
        status = 'scheduled';
        return HttpResponse.json({ ...showings[0], status });
      }),
    );
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    signInAs(userByRole('manager'));
    const { user } = await renderApp('/showings');
    const cancel = await screen.findByRole('button', { name: /^Cancel showing on/ });

    await user.click(cancel);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([]);

    await user.click(cancel);
    const toast = await screen.findByRole('status');
    expect(toast).toHaveTextContent(/canceled/);
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.queryByRole('status')).not.toBeInTheDocument());
    expect(calls).toEqual(['cancel 1', 'restore 1']);
    expect(await screen.findByRole('button', { name: /^Cancel showing on/ })).toBeInTheDocument();
    confirm.mockRestore();
  });
});
