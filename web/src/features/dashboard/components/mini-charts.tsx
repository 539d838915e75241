import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { humanize } from '@/lib/format';

export function WeekCallsChart({ data }: { data: { date: string; total: number }[] }) {
  return (
    <div className="chart chart-sm" role="img" aria-label={`Calls this week: ${data.map((d) => `${d.date} ${d.total}`).join(', ')}`}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
          <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={11} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Bar isAnimationActive={false} dataKey="total" name="Calls" fill="var(--chart-1)" radius={[3, 3, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function LeadStatusChart({ data }: { data: { status: string; count: number }[] }) {
  const rows = data.map((d) => ({ ...d, label: humanize(d.status) }));
  return (
    <div className="chart chart-sm" role="img" aria-label={`Leads by status: ${rows.map((r) => `${r.label} ${r.count}`).join(', ')}`}>
      <ResponsiveContainer>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -20 }}>
          <XAxis dataKey="label" fontSize={10} interval={0} angle={-35} textAnchor="end" height={48} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Bar isAnimationActive={false} dataKey="count" name="Leads" fill="var(--chart-2)" radius={[3, 3, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
