/** Loading, empty and error states shared by every page. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="status loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="status empty">{children}</p>;
}

export function ErrorBox({ error }: { error: unknown }) {
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <p className="status error" role="alert">
      {message}
    </p>
  );
}

export function AccessDenied({ permission }: { permission: string }) {
  return (
    <div className="status denied" role="alert">
      <h1>No access</h1>
      <p>This page needs the permission {permission}. Ask your administrator if you need it.</p>
    </div>
  );
}
