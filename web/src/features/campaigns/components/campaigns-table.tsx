import { Link } from 'react-router';
import { paths } from '@/config/paths';
import { formatDateTime, formatNumber } from '@/lib/format';
import type { Campaign } from '../api/get-campaigns';
import { BuiltInBadge, CampaignStateBadge } from './campaign-state-badge';

export function CampaignsTable({ campaigns }: { campaigns: Campaign[] }) {
  return (
    <div className="table-wrap">
      <table aria-label="Campaigns">
        <thead>
          <tr>
            <th>Name</th>
            <th>State</th>
            <th className="num">Leads</th>
            <th className="num">Dialed</th>
            <th className="num">Answered</th>
            <th className="num">Voicemail</th>
            <th className="num">Opted out</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {campaigns.map((c) => (
            <tr key={c.id}>
              <td>
                <Link to={paths.campaign(c.id)}>{c.name}</Link>
                {c.built_in ? (
                  <>
                    {' '}
                    <BuiltInBadge builtIn={c.built_in} />
                  </>
                ) : null}
              </td>
              <td>
                <CampaignStateBadge state={c.state} />
              </td>
              <td className="num">{formatNumber(c.progress.total)}</td>
              <td className="num">{formatNumber(c.progress.dialed)}</td>
              <td className="num">{formatNumber(c.progress.answered)}</td>
              <td className="num">{formatNumber(c.progress.voicemail)}</td>
              <td className="num">{formatNumber(c.progress.opted_out)}</td>
              <td>{formatDateTime(c.created_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
