import { PageHeader } from '@/components/ui/card';
import { TestCallPanel } from '@/features/test-call/components/test-call-panel';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function TestCallPage() {
  useDocumentTitle('Test call');
  return (
    <>
      <PageHeader title="Test call" />
      <TestCallPanel />
    </>
  );
}
