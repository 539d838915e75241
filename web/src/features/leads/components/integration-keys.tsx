import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { Alert, EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';
import { useCreateIntegrationKey, useIntegrationKeys, useRevokeIntegrationKey } from '../api/integration-keys';

/** Admin section: keys that let a website's lead form post to POST /leads/intake. A new key is shown once. */
export function IntegrationKeys() {
  const keys = useIntegrationKeys();
  const create = useCreateIntegrationKey();
  const revoke = useRevokeIntegrationKey();
  const [site, setSite] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (site.trim()) create.mutate(site.trim(), { onSuccess: () => setSite('') });
  };

  return (
    <Card title="Website integration keys">
      <p>A site’s lead form sends its key in the <code>X-Integration-Key</code> header to <code>POST /leads/intake</code>.</p>
      <form className="form" onSubmit={submit} aria-label="New integration key">
        <TextField label="Site" placeholder="www.example-realty.com" value={site} onChange={(e) => setSite(e.target.value)} />
        <div className="form-actions">
          <Button type="submit" busy={create.isPending}>Create key</Button>
        </div>
      </form>
      {create.isError ? <Alert>{errorMessage(create.error)}</Alert> : null}
      {create.data ? (
        <Alert kind="success">
          Key for {create.data.site} — copy it now, it will not be shown again: <code>{create.data.key}</code>
        </Alert>
      ) : null}
      {revoke.isError ? <Alert>{errorMessage(revoke.error)}</Alert> : null}
      {keys.isPending ? (
        <LoadingState label="Loading keys…" />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No integration keys yet" />
      ) : (
        <table className="table" aria-label="Integration keys">
          <thead>
            <tr><th>Site</th><th>Key</th><th>Created</th><th>Last used</th><th /></tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.site}</td>
                <td><code>{k.prefix}…</code></td>
                <td>{formatDateTime(k.created_at)}</td>
                <td>{k.last_used_at ? formatDateTime(k.last_used_at) : 'Never'}</td>
                <td>
                  {k.revoked_at ? (
                    `Revoked ${formatDateTime(k.revoked_at)}`
                  ) : (
                    <Button variant="secondary" onClick={() => revoke.mutate(k.id)}>Revoke {k.site}</Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
