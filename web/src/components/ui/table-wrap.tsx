import type { ReactNode } from 'react';

/**
 * The sideways-scrolling box around a wide table. It is a labelled, focusable region so a keyboard user can scroll it
 * too (WCAG 2.1.1; axe's scrollable-region-focusable), which matters most for tables with no link or button inside.
 */
export function TableWrap({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className ? `table-wrap ${className}` : 'table-wrap'} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
