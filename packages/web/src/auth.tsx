/** Login state: the token in sessionStorage and the caller's permissions from /auth/me. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { client as api, getToken, ok, onUnauthenticated, setToken } from './api/client';
import { useMe } from './api/hooks';
import type { Me, Permission } from './api/models';

interface Auth {
  me: Me | undefined;
  loggedIn: boolean;
  loading: boolean;
  can: (p: Permission) => boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => void;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [token, setTok] = useState<string | null>(getToken);
  const me = useMe(token !== null);

  const logout = useCallback(() => {
    setToken(null);
    setTok(null);
    client.clear();
  }, [client]);

  useEffect(() => onUnauthenticated(logout), [logout]);

  const value = useMemo<Auth>(
    () => ({
      me: me.data,
      loggedIn: token !== null && me.data !== undefined,
      loading: token !== null && me.isPending,
      can: (p) => me.data?.permissions.includes(p) ?? false,
      login: async (username, password) => {
        const answer = await ok(api.POST('/api/v1/auth/login', { body: { username, password } }));
        setToken(answer.token);
        client.clear();
        setTok(answer.token);
      },
      logout,
    }),
    [me.data, me.isPending, token, client, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
