import { screen, within } from '@testing-library/react';
import { calls } from '@/testing/data';
import { renderApp, renderWithProviders, signInAs } from '@/testing/render-app';
import { userByRole } from '@/testing/data';
import { callOutcomes } from '@/types/api';
import { CallsTable } from './calls-table';

describe('CallsTable', () => {
  it('renders the largest page (100 rows) with caller, outcome and duration', () => {
    renderWithProviders(<CallsTable items={calls.slice(0, 100)} />);
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(101);
    expect(rows[1]).toHaveTextContent('Maria Lopez');
    expect(rows[1]).toHaveTextContent('Qualified');
    expect(rows[1]).toHaveTextContent('1:01');
  });

  it('shows a wrong-number call as its own neutral outcome, and it can be filtered on', async () => {
    renderWithProviders(<CallsTable items={calls.slice(0, 1).map((c) => ({ ...c, outcome: 'wrong_number' }))} />);
    const badge = within(screen.getByRole('table')).getByText('Wrong number');
    expect(badge).toHaveClass('badge-gray');
    expect(callOutcomes).toContain('wrong_number');
  });

  it('the calls page asks the server for one page and shows the total', async () => {
    signInAs(userByRole('manager'));
    await renderApp('/calls?page_size=100&page=3');
    expect(await screen.findByText('201–300 of 1000')).toBeInTheDocument();
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(101);
    expect(screen.getByText('Page 3 of 10')).toBeInTheDocument();
  });

  it('shows an unknown caller\'s number formatted, and the start time with its time zone', () => {
    renderWithProviders(<CallsTable items={[{ ...calls[0]!, lead_name: null, from_number: '+15125550111' }]} />);
    const row = within(screen.getByRole('table')).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('(512) 555-0111');
    expect(row.textContent).toMatch(/\d:\d\d [AP]M [A-Z]{2,5}|GMT/);
  });
});

