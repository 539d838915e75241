import { StatCard } from '@/components/ui/card';
import { formatNumber, formatPercent } from '@/lib/format';
import type { CampaignReport as Report } from '../api/get-campaign-report';

/** What the campaign achieved: contact, qualification and opt-out rates of dialed leads, showings booked on its calls. */
export function CampaignReport({ report }: { report: Report }) {
  return (
    <div className="grid grid-stats" aria-label="Results">
      <StatCard label="Contact rate" value={formatPercent(report.contact_rate)} hint={`${formatNumber(report.contacted)} of ${formatNumber(report.dialed)} dialed reached a person`} />
      <StatCard label="Qualification rate" value={formatPercent(report.qualification_rate)} hint={`${formatNumber(report.qualified)} qualified`} />
      <StatCard label="Showings booked" value={formatNumber(report.showings_booked)} hint="On the campaign's calls" />
      <StatCard label="Opt-outs" value={formatNumber(report.opted_out)} hint={`${formatPercent(report.opt_out_rate)} of dialed leads`} />
    </div>
  );
}
