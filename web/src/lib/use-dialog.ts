import { useEffect, useRef } from 'react';

/**
 * What every modal dialog does on opening: focus the first input inside the returned ref, and close on Escape.
 * Returns the ref to put on the element that holds the inputs.
 */
export function useDialog<T extends HTMLElement>(onClose: () => void) {
  const inputs = useRef<T>(null);
  useEffect(() => inputs.current?.querySelector('input')?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return inputs;
}
