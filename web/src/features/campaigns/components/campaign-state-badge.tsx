import { Badge } from '@/components/ui/badge';

const tones: Record<string, string> = { draft: 'new', running: 'in_progress', paused: 'pending', stopped: 'canceled', completed: 'completed' };

export function CampaignStateBadge({ state }: { state: string }) {
  return <Badge value={tones[state] ?? state} label={state.charAt(0).toUpperCase() + state.slice(1)} />;
}
