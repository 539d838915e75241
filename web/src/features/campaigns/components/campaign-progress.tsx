import { StatCard } from '@/components/ui/card';
import { formatNumber } from '@/lib/format';
import type { CampaignProgress as Progress } from '../api/get-campaigns';

/** The campaign's counters; a running campaign's page refetches them every few seconds. */
export function CampaignProgress({ progress }: { progress: Progress }) {
  const waiting = progress.queued + progress.dialing;
  return (
    <div className="grid grid-stats" aria-label="Progress">
      <StatCard label="Leads" value={formatNumber(progress.total)} hint={`${formatNumber(waiting)} still to call`} />
      <StatCard label="Dialed" value={formatNumber(progress.dialed)} hint={progress.dialing ? `${formatNumber(progress.dialing)} on the line now` : undefined} />
      <StatCard label="Answered" value={formatNumber(progress.answered)} />
      <StatCard label="Voicemail" value={formatNumber(progress.voicemail)} />
      <StatCard label="No answer / busy" value={formatNumber(progress.no_answer + progress.busy)} />
      <StatCard label="Failed" value={formatNumber(progress.failed)} />
      <StatCard label="Opted out" value={formatNumber(progress.opted_out)} hint="Skipped for do-not-call" />
      <StatCard label="Skipped" value={formatNumber(progress.skipped)} />
    </div>
  );
}
