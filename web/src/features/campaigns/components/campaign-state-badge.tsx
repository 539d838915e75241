import { Badge } from '@/components/ui/badge';

const tones: Record<string, string> = { draft: 'new', running: 'in_progress', paused: 'pending', stopped: 'canceled', completed: 'completed' };

/** Marks the server's own campaign (speed to lead), which cannot be stopped or deleted. */
export function BuiltInBadge({ builtIn }: { builtIn: string | null | undefined }) {
  return builtIn ? <Badge value="built_in" label="Built-in" /> : null;
}

export function CampaignStateBadge({ state }: { state: string }) {
  return <Badge value={tones[state] ?? state} label={state.charAt(0).toUpperCase() + state.slice(1)} />;
}
