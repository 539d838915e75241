import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { problem } from '@/testing/handlers';
import { userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

/** An inverted range is a message on the field; the page (header, filters) stays. */
describe('filter ranges', () => {
  const requested: string[] = [];
  beforeEach(() => {
    requested.length = 0;
    server.events.on('request:start', ({ request }) => {
      requested.push(new URL(request.url).pathname);
    });
    signInAs(userByRole('manager'));
  });
  afterEach(() => server.events.removeAllListeners());

  const expectPageKept = async (heading: string) => {
    expect(screen.getByRole('heading', { level: 1, name: heading })).toBeInTheDocument();
    expect(screen.queryByText('Could not load this')).not.toBeInTheDocument();
  };

  it('Properties: min price above max price is said on Max price and not sent', async () => {
    await renderApp('/properties?min_price=500000&max_price=100000');
    const max = await screen.findByLabelText('Max price');
    await waitFor(() => expect(max).toHaveAccessibleDescription('Max price must not be below min price.'));
    expect(max).toHaveAttribute('aria-invalid', 'true');
    await expectPageKept('Properties');
    expect(requested.filter((p) => p.endsWith('/properties/'))).toEqual([]);
  });

  it('Calls: From after To is said on To and not sent', async () => {
    await renderApp('/calls?from=2025-02-01&to=2025-01-01');
    const to = await screen.findByLabelText('To');
    await waitFor(() => expect(to).toHaveAccessibleDescription('To must not be before From.'));
    await expectPageKept('Calls');
    expect(requested.filter((p) => p.endsWith('/calls/'))).toEqual([]);
  });

  it('Showings: From after To is said on To', async () => {
    await renderApp('/showings?from=2025-02-01&to=2025-01-01');
    const to = await screen.findByLabelText('To');
    await waitFor(() => expect(to).toHaveAccessibleDescription('To must not be before From.'));
    await expectPageKept('Showings');
  });

  it('Reports: From after To is said on To', async () => {
    await renderApp('/reports?from=2025-02-01&to=2025-01-01');
    const to = await screen.findByLabelText('To');
    await waitFor(() => expect(to).toHaveAccessibleDescription('To must not be before From.'));
    await expectPageKept('Reports');
    expect(requested.filter((p) => p.endsWith('/reports/summary'))).toEqual([]);
  });

  it("the server's 400 on a filter field is shown on that field, and the page stays", async () => {
    server.use(
      http.get('*/showings/', () => problem(400, 'One or more validation errors occurred.', { to: ['To must not be before From.'] })),
    );
    await renderApp('/showings?from=2025-01-01&to=2025-01-02');
    const to = await screen.findByLabelText('To');
    await waitFor(() => expect(to).toHaveAccessibleDescription('To must not be before From.'));
    await expectPageKept('Showings');
  });

  it('another failure still offers a retry', async () => {
    server.use(http.get('*/showings/', () => HttpResponse.json({ title: 'Boom' }, { status: 500 })));
    await renderApp('/showings');
    expect(await screen.findByText('Could not load this')).toBeInTheDocument();
  });
});
