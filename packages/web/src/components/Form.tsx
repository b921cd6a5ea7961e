/** Form helpers: one save at a time, the server's message shown beside the field it names. */
import { cloneElement, useId, useState, type ReactElement } from 'react';
import { ApiError } from '../api/client';

export interface SaveState {
  error: Error | null;
  busy: boolean;
  done: string | null;
  /** runs a write; on success shows `ok` and calls `then` */
  run: (write: () => Promise<unknown>, ok: string, then?: () => void) => Promise<void>;
  /** the server's message when it names this field (or a path under it) */
  fieldError: (name: string) => string | undefined;
  reset: () => void;
}

export function useSave(): SaveState {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  return {
    error,
    busy,
    done,
    run: async (write, ok, then) => {
      setBusy(true);
      setError(null);
      setDone(null);
      try {
        await write();
        setDone(ok);
        then?.();
      } catch (err) {
        setError(err instanceof Error ? err : new Error(String(err)));
      } finally {
        setBusy(false);
      }
    },
    fieldError: (name) =>
      error instanceof ApiError && error.field && (error.field === name || error.field.startsWith(`${name}.`))
        ? error.message
        : undefined,
    reset: () => {
      setError(null);
      setDone(null);
    },
  };
}

/**
 * A labelled control with its error. The label points at the control by id (a wrapping label
 * would add a select's option texts to its name), and the error describes the control.
 */
export function Field({
  label,
  error,
  children,
}: {
  label: string;
  error?: string;
  children: ReactElement<{ id?: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }>;
}) {
  const id = useId();
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        ...(error ? { 'aria-describedby': `${id}-error`, 'aria-invalid': true } : {}),
      })}
      {error && (
        <span className="field-error" role="alert" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** What the last save said: done, or the error that names no field. */
export function SaveStatus({ state }: { state: SaveState }) {
  if (state.done)
    return (
      <p className="status ok" role="status">
        {state.done}
      </p>
    );
  if (state.error)
    return (
      <p className="status error" role="alert">
        {state.error.message}
        {state.error instanceof ApiError && state.error.field ? ` (field ${state.error.field})` : ''}
      </p>
    );
  return null;
}
