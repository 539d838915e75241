import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Button } from '@/components/ui/button';
import { Card, PageHeader } from '@/components/ui/card';
import { SelectField, TextField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { guessMapping, importFields, readHeader, useImportLeads, type ImportField } from '@/features/leads/api/import-leads';
import { useAgents } from '@/features/users/api/get-agents';
import { errorMessage } from '@/lib/api-error';
import { humanize } from '@/lib/format';
import { can } from '@/lib/authorization';
import { useSession } from '@/lib/session-store';
import { useDocumentTitle } from '@/lib/use-document-title';

export default function LeadImportPage() {
  useDocumentTitle('Import leads');
  const [file, setFile] = useState<File | null>(null);
  const [headers, setHeaders] = useState<string[]>([]);
  const [mapping, setMapping] = useState<(ImportField | '')[]>([]);
  const [duplicates, setDuplicates] = useState<'skip' | 'merge'>('skip');
  const [agentId, setAgentId] = useState('');
  const isManager = can.assignLeads(useSession((s) => s.user));
  const agents = useAgents(isManager);
  const upload = useImportLeads();

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    upload.reset();
    const header = chosen ? await readHeader(chosen) : [];
    setHeaders(header);
    setMapping(guessMapping(header));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) upload.mutate({ file, headers, mapping, duplicates, assignedAgentId: agentId ? Number(agentId) : null });
  };
  const result = upload.data;

  return (
    <>
      <PageHeader title="Import leads" />
      <Card>
        <form className="form" onSubmit={submit} aria-label="Import leads">
          <TextField label="CSV file with a header row" type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
          {headers.length > 0 ? (
            <>
              <div className="form-grid">
                {headers.map((h, i) => (
                  <SelectField
                    key={`${i}-${h}`}
                    label={`Column “${h || `#${i + 1}`}”`}
                    value={mapping[i] ?? ''}
                    placeholder="Leave out"
                    onChange={(e) => setMapping((m) => m.map((f, j) => (j === i ? (e.target.value as ImportField | '') : f)))}
                    options={importFields.map((f) => ({ value: f, label: humanize(f) }))}
                  />
                ))}
              </div>
              <SelectField
                label="Rows whose phone already belongs to a lead"
                value={duplicates}
                onChange={(e) => setDuplicates(e.target.value as 'skip' | 'merge')}
                options={[{ value: 'skip', label: 'Skip them' }, { value: 'merge', label: 'Merge them into that lead' }]}
              />
              {isManager ? (
                <SelectField
                  label="Assign imported leads to"
                  name="assigned_agent_id"
                  value={agentId}
                  placeholder="Nobody (leave unassigned)"
                  onChange={(e) => setAgentId(e.target.value)}
                  options={(agents.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
                />
              ) : null}
              {upload.isError ? <Alert>{errorMessage(upload.error)}</Alert> : null}
              <div className="form-actions">
                <Button type="submit" busy={upload.isPending}>Import</Button>
                <Link className="btn btn-secondary" to={paths.leads}>Back to leads</Link>
              </div>
            </>
          ) : null}
        </form>
      </Card>
      {result ? (
        <Card title="Result">
          <Alert kind={result.failed ? 'info' : 'success'}>
            {result.rows} rows read: {result.created} created, {result.merged} merged, {result.skipped} skipped, {result.failed} with errors.
          </Alert>
          {result.errors.length > 0 ? (
            <table className="table" aria-label="Rows with errors">
              <thead>
                <tr><th>Row</th><th>Field</th><th>Problem</th></tr>
              </thead>
              <tbody>
                {result.errors.map((e, i) => (
                  <tr key={i}><td>{e.row}</td><td>{humanize(e.field)}</td><td>{e.message}</td></tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {result.errors_truncated ? <p>Only the first {result.errors.length} problems are listed.</p> : null}
        </Card>
      ) : null}
    </>
  );
}
