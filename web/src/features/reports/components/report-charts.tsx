import { Bar, BarChart, CartesianGrid, Cell, Legend, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { humanize } from '@/lib/format';
import type { ReportSummary } from '../api/get-report-summary';

// Theme tokens (index.css), so the marks keep 3:1 against the card in the light and the dark scheme alike.
const palette = Array.from({ length: 10 }, (_, i) => `var(--chart-${i + 1})`);

export function CallsPerDayChart({ data }: { data: ReportSummary['calls_per_day'] }) {
  return (
    <div className="chart" role="img" aria-label={`Calls per day: ${data.map((d) => `${d.date} ${d.total}`).join(', ')}`}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} />
          <Tooltip />
          <Legend />
          <Bar isAnimationActive={false} dataKey="inbound" name="Inbound" stackId="calls" fill="var(--chart-1)" />
          <Bar isAnimationActive={false} dataKey="outbound" name="Outbound" stackId="calls" fill="var(--chart-4)" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function OutcomesChart({ data }: { data: ReportSummary['outcomes'] }) {
  const rows = data.map((o) => ({ name: humanize(o.outcome ?? 'none'), value: o.count }));
  return (
    <div className="chart" role="img" aria-label={`Outcomes: ${rows.map((r) => `${r.name} ${r.value}`).join(', ')}`}>
      <ResponsiveContainer>
        <PieChart>
          <Pie isAnimationActive={false} data={rows} dataKey="value" nameKey="name" innerRadius="45%" outerRadius="80%" paddingAngle={2}>
            {rows.map((r, i) => (
              <Cell key={r.name} fill={palette[i % palette.length]} />
            ))}
          </Pie>
          <Tooltip />
          <Legend />
        </PieChart>
      </ResponsiveContainer>
    </div>
  );
}

export function FunnelChart({ funnel }: { funnel: { leads: number; qualified: number; showing: number } }) {
  const rows = [
    { stage: 'Leads', value: funnel.leads },
    { stage: 'Qualified', value: funnel.qualified },
    { stage: 'Showing', value: funnel.showing },
  ];
  const pct = (n: number) => (funnel.leads ? ` (${Math.round((n / funnel.leads) * 100)}%)` : '');
  return (
    <div className="chart chart-sm" role="img" aria-label={`Funnel: leads ${funnel.leads}, qualified ${funnel.qualified}${pct(funnel.qualified)}, showing ${funnel.showing}${pct(funnel.showing)}`}>
      <ResponsiveContainer>
        <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 24, bottom: 0, left: 8 }}>
          <XAxis type="number" allowDecimals={false} fontSize={12} />
          <YAxis type="category" dataKey="stage" fontSize={12} width={70} />
          <Tooltip />
          <Bar isAnimationActive={false} dataKey="value" name="Count" fill="var(--chart-2)" label={{ position: 'right', fontSize: 12 }} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
