import { render, screen, within } from '@testing-library/react';
import { speedToLead } from '@/testing/data';
import { SpeedToLeadFigures, formatSeconds } from './speed-to-lead-card';
import { speedToLeadSchema } from '../api/get-speed-to-lead';

describe('speed to lead figures', () => {
  it('shows the median tile, the share within the target and a row per week', () => {
    render(<SpeedToLeadFigures report={speedToLeadSchema.parse(speedToLead)} />);
    expect(within(screen.getByText('Median intake to first ring').parentElement!).getByText('14 s')).toBeInTheDocument();
    expect(screen.getByText('p90 1 min 35 s')).toBeInTheDocument();
    expect(screen.getByText('75%')).toBeInTheDocument(); // 3 of 4 called within 60 s
    const row = within(screen.getByRole('table', { name: 'Speed to lead per week' })).getByText('2025-W01').closest('tr')!;
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['2025-W01', '5', '14 s', '1 min 35 s', '3', '1', '1']);
  });

  it('says when no web lead was queued', () => {
    render(<SpeedToLeadFigures report={speedToLeadSchema.parse({ ...speedToLead, leads: 0, called: 0, median_seconds: null, weeks: [] })} />);
    expect(screen.getByText('No web leads queued for a call in this range')).toBeInTheDocument();
    expect(formatSeconds(null)).toBe('—');
  });
});
