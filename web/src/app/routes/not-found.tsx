import { Link } from 'react-router';
import { EmptyState } from '@/components/ui/states';

export default function NotFoundPage() {
  return (
    <EmptyState title="Page not found">
      <Link to="/">Back to the dashboard</Link>
    </EmptyState>
  );
}
