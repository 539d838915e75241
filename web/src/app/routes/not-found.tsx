import { Link } from 'react-router';
import { PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/states';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function NotFoundPage() {
  useDocumentTitle('Page not found');
  // A level-1 heading like every other page, so a screen-reader user jumping to it learns where they are.
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="Nothing lives at this address.">
        <Link to="/">Back to the dashboard</Link>
      </EmptyState>
    </>
  );
}
