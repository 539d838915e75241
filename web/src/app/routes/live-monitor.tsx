import { PageHeader } from '@/components/ui/card';
import { LiveMonitor } from '@/features/live-monitor/components/live-monitor';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function LiveMonitorPage() {
  useDocumentTitle('Live monitor');
  return (
    <>
      <PageHeader title="Live monitor" />
      <LiveMonitor />
    </>
  );
}
