import { Alert } from './states';

/**
 * The top-of-form error summary every form shows after a refused save: the server's summary, prefixed by what failed,
 * and each message about a field the form does not show (`other` from `formErrors`), so none is silently lost.
 */
export function FormErrorSummary({ title, summary, other = [] }: { title?: string; summary: string | null | undefined; other?: readonly string[] }) {
  if (!summary) return null;
  return (
    <Alert>
      {title ? <strong>{title} </strong> : null}
      {summary}
      {other.length > 0 ? (
        <ul>
          {other.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}
