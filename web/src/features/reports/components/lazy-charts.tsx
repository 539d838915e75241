import { lazy, Suspense, type ComponentProps } from 'react';
import { LoadingState } from '@/components/ui/states';

// Recharts loads after the report's numbers and table, keeping the page's first load small.
const load = () => import('./report-charts');
const CallsPerDayChartImpl = lazy(() => load().then((m) => ({ default: m.CallsPerDayChart })));
const OutcomesChartImpl = lazy(() => load().then((m) => ({ default: m.OutcomesChart })));
const FunnelChartImpl = lazy(() => load().then((m) => ({ default: m.FunnelChart })));

const fallback = <LoadingState label="Loading chart…" />;

export const CallsPerDayChart = (props: ComponentProps<typeof CallsPerDayChartImpl>) => (
  <Suspense fallback={fallback}>
    <CallsPerDayChartImpl {...props} />
  </Suspense>
);

export const OutcomesChart = (props: ComponentProps<typeof OutcomesChartImpl>) => (
  <Suspense fallback={fallback}>
    <OutcomesChartImpl {...props} />
  </Suspense>
);

export const FunnelChart = (props: ComponentProps<typeof FunnelChartImpl>) => (
  <Suspense fallback={fallback}>
    <FunnelChartImpl {...props} />
  </Suspense>
);
