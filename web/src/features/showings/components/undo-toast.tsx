import { useEffect } from 'react';
import { Button } from '@/components/ui/button';

/** How long a cancellation can be undone from the toast. */
export const undoWindowMs = 10_000;

/** A message with an Undo button that goes away by itself after {@link undoWindowMs}. */
export function UndoToast({ message, onUndo, onDismiss, busy }: { message: string; onUndo: () => void; onDismiss: () => void; busy?: boolean }) {
  useEffect(() => {
    const timer = setTimeout(onDismiss, undoWindowMs);
    return () => clearTimeout(timer);
  }, [onDismiss]);
  return (
    <div className="toast" role="status">
      <span>{message}</span>
      <Button variant="ghost" busy={busy} onClick={onUndo}>
        Undo
      </Button>
    </div>
  );
}
