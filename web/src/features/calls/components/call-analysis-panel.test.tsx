import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { callDetail, userByRole } from '@/testing/data';
import { server } from '@/testing/msw-server';
import { renderApp, signInAs } from '@/testing/render-app';

describe('call analysis panel', () => {
  it('shows the summary, sentiment, extracted fields with confidence and next steps; applies them to the lead', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/calls/5');
    const fields = await screen.findByRole('table', { name: 'Extracted fields' });
    expect(within(fields).getByText('Austin')).toBeInTheDocument();
    expect(within(fields).getByText('90% sure')).toBeInTheDocument();
    expect(screen.getByText('Buyer wants three bedrooms in Austin up to $500,000.')).toBeInTheDocument();
    expect(within(screen.getByRole('list', { name: 'Next steps' })).getByText('Send Austin listings')).toBeInTheDocument();
    expect(screen.getByText('420 in / 96 out')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Apply to lead' }));
    expect(await screen.findByText('The lead was updated.')).toBeInTheDocument();
  });

  it('edits the analysis and shows the server’s field errors', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/calls/5');
    await userEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit analysis' });
    await userEvent.clear(within(form).getByLabelText('Summary'));
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('The summary is required.')).toBeInTheDocument();
  });

  it('polls while the analysis is pending, so the summary appears without a reload', async () => {
    let reads = 0;
    server.use(
      http.get('*/calls/:id', ({ params }) => {
        reads++;
        const call = callDetail(Number(params.id));
        return HttpResponse.json(reads === 1 ? { ...call, analysis: { status: 'pending', fields: {}, next_steps: [] } } : call);
      }),
    );
    signInAs(userByRole('manager'));
    await renderApp('/calls/5');
    expect(await screen.findByText('Analysing the call…')).toBeInTheDocument();
    expect(await screen.findByText('Buyer wants three bedrooms in Austin up to $500,000.', {}, { timeout: 5000 })).toBeInTheDocument();
  });
});
