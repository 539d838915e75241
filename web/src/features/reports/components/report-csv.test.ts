import { reportSummary } from '@/testing/data';
import { reportSummarySchema } from '../api/get-report-summary';
import { reportToCsv } from './report-csv';

describe('reportToCsv', () => {
  it('exports the totals, per-day, outcome and per-agent tables', () => {
    const csv = reportToCsv(reportSummarySchema.parse(reportSummary));
    expect(csv).toContain('total_calls,10\r\n');
    expect(csv).toContain('date,total,inbound,outbound\r\n2025-01-01,4,3,1\r\n2025-01-02,6,5,1\r\n');
    expect(csv).toContain('outcome,count\r\nqualified,5\r\nshowing_booked,3\r\n');
    expect(csv).toContain('3,Alice Agent,6,100,4,3,2\r\n');
  });
});
