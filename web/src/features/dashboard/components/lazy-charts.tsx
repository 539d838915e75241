import { lazy, Suspense, type ComponentProps } from 'react';
import { LoadingState } from '@/components/ui/states';

// Recharts is the largest library in the app; the dashboard's numbers and lists render without waiting for it.
const WeekCallsChartImpl = lazy(() => import('./mini-charts').then((m) => ({ default: m.WeekCallsChart })));
const LeadStatusChartImpl = lazy(() => import('./mini-charts').then((m) => ({ default: m.LeadStatusChart })));

export const WeekCallsChart = (props: ComponentProps<typeof WeekCallsChartImpl>) => (
  <Suspense fallback={<LoadingState label="Loading chart…" />}>
    <WeekCallsChartImpl {...props} />
  </Suspense>
);

export const LeadStatusChart = (props: ComponentProps<typeof LeadStatusChartImpl>) => (
  <Suspense fallback={<LoadingState label="Loading chart…" />}>
    <LeadStatusChartImpl {...props} />
  </Suspense>
);
