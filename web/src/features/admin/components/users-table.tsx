import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { formatDate, formatPhone } from '@/lib/format';
import type { User } from '@/types/api';

type Props = {
  users: User[];
  currentUserId?: number;
  onEdit: (user: User) => void;
  onDeactivate: (user: User) => void;
  deactivatingId?: number;
};

export function UsersTable({ users, currentUserId, onEdit, onDeactivate, deactivatingId }: Props) {
  return (
    <div className="table-wrap table-cards">
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Email</th>
            <th>Role</th>
            <th>Phone</th>
            <th>Status</th>
            <th>Created</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td className="cell-title">{u.name}</td>
              <td className="cell-wide">{u.email}</td>
              <td>
                <Badge value={u.role} />
              </td>
              <td className="nowrap" data-label="Phone">{formatPhone(u.phone)}</td>
              <td>{u.is_active ? <Badge value="active" /> : <Badge value="canceled" label="Deactivated" />}</td>
              <td data-label="Created">{formatDate(u.created_at)}</td>
              <td className="row-actions">
                <Button variant="ghost" onClick={() => onEdit(u)} aria-label={`Edit ${u.name}`}>
                  Edit
                </Button>
                {u.is_active && u.id !== currentUserId ? (
                  <Button variant="ghost" busy={deactivatingId === u.id} onClick={() => onDeactivate(u)} aria-label={`Deactivate ${u.name}`}>
                    Deactivate
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
