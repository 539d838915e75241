import { render, screen, within } from '@testing-library/react';
import { CampaignReport } from './campaign-report';

describe('campaign report', () => {
  it('shows the rates of dialed leads with their counts', () => {
    render(
      <CampaignReport
        report={{ campaign_id: 1, leads: 4, dialed: 3, contacted: 2, contact_rate: 0.667, qualified: 1, qualification_rate: 0.333, showings_booked: 1, opted_out: 1, opt_out_rate: 0.333 }}
      />,
    );
    const results = screen.getByLabelText('Results');
    expect(within(results).getByText('2 of 3 dialed reached a person')).toBeInTheDocument();
    expect(within(results).getByText('1 qualified')).toBeInTheDocument();
  });

  it('shows dashes before the first dial', () => {
    render(<CampaignReport report={{ campaign_id: 1, leads: 2, dialed: 0, contacted: 0, qualified: 0, showings_booked: 0, opted_out: 0 }} />);
    expect(screen.getByText('0 of 0 dialed reached a person')).toBeInTheDocument();
  });
});
