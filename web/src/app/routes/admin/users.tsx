import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { Alert, EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useDeactivateUser } from '@/features/admin/api/save-user';
import { useUsers } from '@/features/admin/api/get-users';
import { LeadRoutingSection } from '@/features/admin/components/lead-routing-form';
import { CreateUserForm, EditUserForm } from '@/features/admin/components/user-form';
import { UsersTable } from '@/features/admin/components/users-table';
import { IntegrationKeys } from '@/features/leads/components/integration-keys';
import { useAgents } from '@/features/users/api/get-agents';
import { errorMessage } from '@/lib/api-error';
import { useSession } from '@/lib/session-store';
import { useUrlFilters } from '@/lib/use-url-filters';
import type { User } from '@/types/api';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function UsersPage() {
  useDocumentTitle('Users');
  const me = useSession((s) => s.user);
  const { page, pageSize, setPage, setPageSize } = useUrlFilters([] as const);
  const users = useUsers({ page, page_size: pageSize });
  const deactivate = useDeactivateUser();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const agents = useAgents();

  const onDeactivate = (u: User) => {
    if (window.confirm(`Deactivate ${u.name}? They will no longer be able to sign in.`)) {
      deactivate.mutate(u.id, { onSuccess: () => setNotice(`${u.name} was deactivated.`) });
    }
  };

  return (
    <>
      <PageHeader title="Users" actions={creating ? null : <Button onClick={() => setCreating(true)}>New user</Button>} />
      {notice ? <Alert kind="success">{notice}</Alert> : null}
      {deactivate.isError ? <Alert>{errorMessage(deactivate.error)}</Alert> : null}
      {creating ? (
        <Card title="New user" actions={<Button variant="ghost" onClick={() => setCreating(false)}>Close</Button>}>
          <CreateUserForm
            onDone={(u) => {
              setCreating(false);
              setNotice(`${u.name} (${u.email}) was created.`);
            }}
          />
        </Card>
      ) : null}
      {editing ? (
        <Card title={`Edit ${editing.name}`}>
          <EditUserForm
            key={editing.id}
            user={editing}
            onDone={() => {
              setEditing(null);
              setNotice('Changes saved.');
            }}
          />
        </Card>
      ) : null}
      <Card>
        {users.isPending ? (
          <LoadingState label="Loading users…" />
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => users.refetch()} />
        ) : users.data.items.length === 0 ? (
          <EmptyState title="No users" />
        ) : (
          <>
            <UsersTable
              users={users.data.items}
              currentUserId={me?.id}
              onEdit={setEditing}
              onDeactivate={onDeactivate}
              deactivatingId={deactivate.isPending ? deactivate.variables : undefined}
            />
            <Pagination page={page} pageSize={pageSize} total={users.data.total} onPageChange={setPage} onPageSizeChange={setPageSize} />
          </>
        )}
      </Card>
      <IntegrationKeys />
      <LeadRoutingSection agents={agents.data ?? []} />
    </>
  );
}
