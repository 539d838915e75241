import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { User } from '@/types/api';

export type LogoutReason = 'signed_out' | 'expired' | 'unauthorized';

type SessionState = {
  token: string | null;
  /** Epoch milliseconds after which the token is no longer accepted by the server. */
  expiresAt: number | null;
  user: User | null;
  lastLogoutReason: LogoutReason | null;
  signIn: (token: string, expiresInSeconds: number, user: User, now?: number) => void;
  setUser: (user: User) => void;
  signOut: (reason?: LogoutReason) => void;
};

// Kept in localStorage so a reload keeps the user signed in; only the token and user are stored, never the password.
export const useSession = create<SessionState>()(
  persist(
    (set) => ({
      token: null,
      expiresAt: null,
      user: null,
      lastLogoutReason: null,
      signIn: (token, expiresInSeconds, user, now = Date.now()) =>
        set({ token, user, expiresAt: now + expiresInSeconds * 1000, lastLogoutReason: null }),
      setUser: (user) => set({ user }),
      signOut: (reason = 'signed_out') => set({ token: null, expiresAt: null, user: null, lastLogoutReason: reason }),
    }),
    {
      name: 'estate-voice-session',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ token: s.token, expiresAt: s.expiresAt, user: s.user }),
    },
  ),
);

export const getToken = (): string | null => {
  const { token, expiresAt } = useSession.getState();
  if (!token) return null;
  if (expiresAt !== null && expiresAt <= Date.now()) {
    useSession.getState().signOut('expired');
    return null;
  }
  return token;
};
