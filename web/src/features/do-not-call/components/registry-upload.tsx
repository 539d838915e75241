import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { Alert, ErrorState, LoadingState } from '@/components/ui/states';
import { errorMessage, isApiError } from '@/lib/api-error';
import { formatDateTime, formatNumber } from '@/lib/format';
import { useRegistryStatus, useUploadRegistry } from '../api/registry';

/** The national do-not-call registry (Admins): what is loaded, and a new file replacing it. */
export function RegistryUpload() {
  const status = useRegistryStatus(true);
  const upload = useUploadRegistry();
  const [file, setFile] = useState<File | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) upload.mutate(file);
  };
  const fileError = isApiError(upload.error) ? upload.error.fieldError('file') : undefined;
  return (
    <>
      {status.isPending ? (
        <LoadingState label="Loading registry status…" />
      ) : status.isError ? (
        <ErrorState error={status.error} onRetry={() => status.refetch()} />
      ) : status.data.upload_id == null ? (
        <p className="muted">No registry file uploaded yet: only the team's own list is checked.</p>
      ) : (
        <DescriptionList
          items={[
            ['Numbers in the newest file', formatNumber(status.data.number_count)],
            ['Bad lines in it', formatNumber(status.data.bad_line_count)],
            ['File', status.data.file_name ?? '—'],
            ['Uploaded', `${formatDateTime(status.data.uploaded_at)}${status.data.uploaded_by ? ` by ${status.data.uploaded_by}` : ''}`],
            [
              'Loaded on this server',
              status.data.loaded_upload_id === status.data.upload_id
                ? `${formatNumber(status.data.loaded_count)} numbers, since ${formatDateTime(status.data.loaded_at)}`
                : `Still loading (${formatNumber(status.data.loaded_count)} numbers from an older file)`,
            ],
          ]}
        />
      )}
      <form className="form" onSubmit={submit} aria-label="Upload registry">
        <TextField
          label="Registry file"
          type="file"
          accept=".txt,.csv,text/plain"
          hint="10-digit numbers, one per line. It replaces the file loaded now."
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          error={fileError}
        />
        {upload.isError && !fileError ? <Alert>{errorMessage(upload.error)}</Alert> : null}
        {upload.data ? (
          <Alert kind="success">
            Loaded {formatNumber(upload.data.count)} numbers; {formatNumber(upload.data.bad_line_count)} bad lines.
            {upload.data.bad_lines.length > 0 ? (
              <ul aria-label="Bad lines">
                {upload.data.bad_lines.map((l) => (
                  <li key={l.line}>
                    Line {l.line}: “{l.text}”
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        <div className="form-actions">
          <Button type="submit" disabled={!file} busy={upload.isPending}>
            Upload registry
          </Button>
        </div>
      </form>
    </>
  );
}
