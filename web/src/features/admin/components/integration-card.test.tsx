import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { server } from '@/testing/msw-server';
import type { Integration } from '@/features/admin/api/integrations';
import { IntegrationCard } from './integration-card';

const deepgram = {
  name: 'deepgram', label: 'Deepgram', configured: true, mode: null, target: 'https://api.deepgram.com',
  details: ['API key set'], env_vars: ['DEEPGRAM_API_KEY'],
};

const renderCard = (integration: Integration = deepgram) =>
  render(
    <QueryClientProvider client={new QueryClient()}>
      <IntegrationCard integration={integration} />
    </QueryClientProvider>,
  );

describe('integration card', () => {
  it('sends a test and shows the answer', async () => {
    let tested = '';
    server.use(
      http.post('*/admin/integrations/:name/test', ({ params }) => {
        tested = String(params.name);
        return HttpResponse.json({ name: 'deepgram', ok: false, status: 401, message: 'Deepgram refused the key (401).', elapsed_ms: 12 });
      }),
    );
    const user = userEvent.setup();
    renderCard();
    expect(screen.getByText('Set up')).toBeInTheDocument();
    expect(screen.getByText('API key set')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send a test' }));
    expect(await screen.findByText('Deepgram refused the key (401).')).toBeInTheDocument();
    expect(screen.getByText('Failed')).toBeInTheDocument();
    expect(tested).toBe('deepgram');
  });

  it('names the env vars to set when not set up and disables the test', () => {
    renderCard({ ...deepgram, configured: false, details: [] });
    expect(screen.getByText('Not set up')).toBeInTheDocument();
    expect(screen.getByText('Set DEEPGRAM_API_KEY to use it.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send a test' })).toBeDisabled();
  });

  it('shows the mode badge only when the service is set up', () => {
    const smtp: Integration = { ...deepgram, name: 'smtp', label: 'Email (SMTP)', mode: 'starttls', details: [] };
    const { unmount } = renderCard({ ...smtp, configured: false });
    expect(screen.queryByText(/starttls/i)).not.toBeInTheDocument();
    unmount();
    renderCard(smtp);
    expect(screen.getByText(/starttls/i)).toBeInTheDocument();
  });
});
