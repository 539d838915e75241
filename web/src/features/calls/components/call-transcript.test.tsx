import { screen, within } from '@testing-library/react';
import { userByRole } from '@/testing/data';
import { renderApp, signInAs } from '@/testing/render-app';

describe('call detail', () => {
  it('shows turns with interruptions, tool calls and latency, plus the summary', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/calls/5');
    const transcript = await screen.findByRole('list', { name: 'Transcript' });
    const turns = within(transcript).getAllByRole('listitem');
    expect(turns).toHaveLength(3);
    expect(within(turns[0]!).getByText('Interrupted')).toBeInTheDocument();
    expect(within(turns[0]!).getByLabelText('Latency breakdown')).toHaveTextContent('LLM first token 210 ms');
    expect(within(turns[2]!).getByLabelText('Tool call')).toHaveTextContent('search_properties({"city":"Austin","bedrooms":3}) → {"count":2}');
    expect(screen.getByText('Buyer looking for 3 bedrooms in Austin')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Load recording/ })).toBeInTheDocument();
  });
});
