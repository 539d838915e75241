// The app is served by the API server on the same origin, so the default base URL is empty (relative paths).
// VITE_API_URL exists for pointing a dev build at another host.
export const env = {
  apiUrl: (import.meta.env.VITE_API_URL as string | undefined)?.replace(/\/$/, '') ?? '',
} as const;
