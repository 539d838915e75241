import { useEffect } from 'react';

const appName = 'Estate Voice';

/** Names the page in the browser tab ("Leads · Estate Voice"); every route calls it once. */
export function useDocumentTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · ${appName}` : appName;
  }, [title]);
}
