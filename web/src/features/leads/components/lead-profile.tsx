import { Badge } from '@/components/ui/badge';
import { Card, DescriptionList } from '@/components/ui/card';
import { formatDateTime, formatMoney, formatNumber, formatPhone, humanize } from '@/lib/format';
import type { Lead } from '@/types/api';

const yesNo = (v: boolean | null | undefined) => (v == null ? '—' : v ? 'Yes' : 'No');

export function LeadProfile({ lead: l }: { lead: Lead }) {
  return (
    <Card title="Profile">
      {l.do_not_call ? (
        <div className="alert alert-error" role="note">
          Do not call: this person asked not to be called. Outbound calls are blocked.
        </div>
      ) : null}
      <DescriptionList
        items={[
          ['Status', <Badge key="s" value={l.status} />],
          ['Phone', formatPhone(l.phone)],
          ['Email', l.email ?? '—'],
          ['Source', humanize(l.source)],
          ['Assigned agent', l.assigned_agent_name ?? 'Unassigned'],
          ['Consent to call', yesNo(l.consent_to_call)],
          ['Do not call', yesNo(l.do_not_call)],
          ['Time zone', l.time_zone ?? '—'],
          ['Created', formatDateTime(l.created_at)],
        ]}
      />
      <h3 className="subheading">Qualification</h3>
      <DescriptionList
        items={[
          ['Intent', humanize(l.intent)],
          ['Budget', l.budget_min == null && l.budget_max == null ? '—' : `${formatMoney(l.budget_min)} – ${formatMoney(l.budget_max)}`],
          ['Pre-approved', yesNo(l.pre_approved)],
          ['Timeline', l.timeline || '—'],
          ['Bedrooms', formatNumber(l.bedrooms)],
          ['Preferred areas', l.preferred_areas?.length ? l.preferred_areas.join(', ') : '—'],
        ]}
      />
      {l.notes ? (
        <>
          <h3 className="subheading">Notes</h3>
          <p className="pre-wrap">{l.notes}</p>
        </>
      ) : null}
    </Card>
  );
}
