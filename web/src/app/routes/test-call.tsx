import { PageHeader } from '@/components/ui/card';
import { TestCallPanel } from '@/features/test-call/components/test-call-panel';

export default function TestCallPage() {
  return (
    <>
      <PageHeader title="Test call" />
      <TestCallPanel />
    </>
  );
}
