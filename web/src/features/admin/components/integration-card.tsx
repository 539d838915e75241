import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useTestIntegration, type Integration } from '@/features/admin/api/integrations';

/** One outside service: where it points (never a secret), and a live "send a test" with its answer. */
export function IntegrationCard({ integration }: { integration: Integration }) {
  const test = useTestIntegration();
  const result = test.data;
  return (
    <section className="card" aria-label={integration.label}>
      <h2>
        {integration.label}{' '}
        <Badge value={integration.configured ? 'active' : 'pending'} label={integration.configured ? 'Set up' : 'Not set up'} />
        {/* A mode (e.g. SMTP's TLS) describes a working set-up; an unset service has none to show. */}
        {integration.configured && integration.mode ? <> <Badge value={integration.mode} /></> : null}
      </h2>
      {integration.target ? <p className="muted">{integration.target}</p> : null}
      {integration.details.length > 0 ? (
        <ul>
          {integration.details.map((d) => <li key={d}>{d}</li>)}
        </ul>
      ) : null}
      {!integration.configured ? (
        <p className="muted">Set {integration.env_vars.join(', ')} to use it.</p>
      ) : null}
      <Button variant="secondary" busy={test.isPending} disabled={!integration.configured} onClick={() => test.mutate(integration.name)}>
        Send a test
      </Button>
      {result ? (
        <p role="status">
          <Badge value={result.ok ? 'active' : 'failed'} label={result.ok ? 'OK' : 'Failed'} /> {result.message}
          <span className="muted"> ({result.elapsed_ms} ms)</span>
        </p>
      ) : null}
      {test.isError ? <p role="alert">{test.error.message}</p> : null}
    </section>
  );
}
