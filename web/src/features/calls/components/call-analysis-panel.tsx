import { useState, type FormEvent } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, DescriptionList } from '@/components/ui/card';
import { CheckboxField, SelectField, TextAreaField } from '@/components/ui/field';
import { Alert } from '@/components/ui/states';
import { ApiError, errorMessage } from '@/lib/api-error';
import {
  useApplyAnalysisToLead,
  useSaveCallAnalysis,
  type CallAnalysis,
  type CallAnalysisEdit,
  type ExtractedFields,
} from '../api/call-analysis';

const fieldLabels: [keyof ExtractedFields, string][] = [
  ['name', 'Name'],
  ['email', 'Email'],
  ['intent', 'Intent'],
  ['areas', 'Areas'],
  ['budget_min', 'Budget from'],
  ['budget_max', 'Budget up to'],
  ['bedrooms', 'Bedrooms'],
  ['timeline', 'Timeline'],
  ['pre_approved', 'Pre-approved'],
];

const sentiments = [
  { value: 'positive', label: 'Positive' },
  { value: 'neutral', label: 'Neutral' },
  { value: 'negative', label: 'Negative' },
] as const;

function show(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  return String(value);
}

/** What the post-call analysis made of the call; staff correct it or accept its fields onto the lead. */
export function CallAnalysisPanel({ callId, leadId, analysis }: { callId: number; leadId?: number | null; analysis?: CallAnalysis | null }) {
  const [editing, setEditing] = useState(false);
  const apply = useApplyAnalysisToLead(callId);

  if (!analysis) return null;
  if (analysis.status === 'pending')
    return (
      <Card title="Analysis">
        <p className="muted" role="status">
          Analysing the call…
        </p>
      </Card>
    );
  if (analysis.status === 'failed')
    return (
      <Card title="Analysis">
        <Alert>The analysis failed{analysis.error ? `: ${analysis.error}` : '.'}</Alert>
      </Card>
    );
  if (editing) return <AnalysisEditor callId={callId} analysis={analysis} onDone={() => setEditing(false)} />;

  const fields = analysis.fields ?? {};
  const extracted = fieldLabels.filter(([key]) => fields[key] != null);
  return (
    <Card
      title="Analysis"
      actions={
        <>
          <Button variant="secondary" onClick={() => setEditing(true)}>
            Edit
          </Button>
          {leadId ? (
            <Button busy={apply.isPending} onClick={() => apply.mutate()}>
              Apply to lead
            </Button>
          ) : null}
        </>
      }
    >
      {apply.isError ? <Alert>{errorMessage(apply.error)}</Alert> : null}
      {apply.isSuccess ? <Alert kind="success">The lead was updated.</Alert> : null}
      <p>{analysis.summary}</p>
      <DescriptionList
        items={[
          ['Sentiment', <Badge key="s" value={analysis.sentiment} />],
          ['Success', analysis.success ? `Yes${analysis.success_reason ? ` — ${analysis.success_reason}` : ''}` : `No${analysis.success_reason ? ` — ${analysis.success_reason}` : ''}`],
          ['Source', analysis.model ? `${analysis.source} (${analysis.model})` : (analysis.source ?? '—')],
          ...(analysis.tokens ? [['Tokens', `${analysis.tokens.input ?? 0} in / ${analysis.tokens.output ?? 0} out`] as [string, string]] : []),
        ]}
      />
      <h3 className="subheading">What the caller said</h3>
      {extracted.length === 0 ? (
        <p className="muted">No lead details were stated.</p>
      ) : (
        <table aria-label="Extracted fields">
          <tbody>
            {extracted.map(([key, label]) => (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td>{show(fields[key]?.value)}</td>
                <td className="muted">{Math.round((fields[key]?.confidence ?? 0) * 100)}% sure</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="subheading">Next steps</h3>
      {(analysis.next_steps ?? []).length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul aria-label="Next steps">
          {(analysis.next_steps ?? []).map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function AnalysisEditor({ callId, analysis, onDone }: { callId: number; analysis: CallAnalysis; onDone: () => void }) {
  const save = useSaveCallAnalysis(callId);
  const [summary, setSummary] = useState(analysis.summary ?? '');
  const [sentiment, setSentiment] = useState<CallAnalysisEdit['sentiment']>(analysis.sentiment ?? 'neutral');
  const [success, setSuccess] = useState(analysis.success ?? false);
  const [nextSteps, setNextSteps] = useState((analysis.next_steps ?? []).join('\n'));
  const fieldError = (f: string) => (save.error instanceof ApiError ? save.error.fieldError(f) : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        summary,
        sentiment,
        success,
        success_reason: analysis.success_reason,
        fields: analysis.fields,
        next_steps: nextSteps.split('\n').map((s) => s.trim()).filter(Boolean),
      },
      { onSuccess: onDone },
    );
  };

  return (
    <Card title="Analysis">
      <form onSubmit={submit} aria-label="Edit analysis">
        {save.isError && !(save.error instanceof ApiError && save.error.status === 400) ? <Alert>{errorMessage(save.error)}</Alert> : null}
        <TextAreaField label="Summary" value={summary} onChange={(e) => setSummary(e.target.value)} error={fieldError('summary')} rows={4} />
        <SelectField
          label="Sentiment"
          value={sentiment}
          options={sentiments}
          onChange={(e) => setSentiment(e.target.value as CallAnalysisEdit['sentiment'])}
          error={fieldError('sentiment')}
        />
        <CheckboxField label="Successful call" checked={success} onChange={(e) => setSuccess(e.target.checked)} />
        <TextAreaField
          label="Next steps"
          hint="One per line"
          value={nextSteps}
          onChange={(e) => setNextSteps(e.target.value)}
          error={fieldError('next_steps')}
          rows={3}
        />
        <div className="form-actions">
          <Button type="submit" busy={save.isPending}>
            Save
          </Button>
          <Button variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}
