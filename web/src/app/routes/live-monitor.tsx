import { PageHeader } from '@/components/ui/card';
import { LiveMonitor } from '@/features/live-monitor/components/live-monitor';

export default function LiveMonitorPage() {
  return (
    <>
      <PageHeader title="Live monitor" />
      <LiveMonitor />
    </>
  );
}
