/**
 * Operators sign in on the shared tablet with a badge scan (anywhere on this screen: the wedge
 * listener in FloorApp sends it here) or by tapping their name and a PIN on a glove-sized pad.
 */
import { useState } from 'react';
import type { components } from '../api/schema';
import { useCachedRead } from './cached-read';
import { bad, good } from './feedback';
import { signIn, stationScreen } from './floor-api';
import type { Operator, Station } from './session';

type Roster = components['schemas']['StationScreen']['operators'];

export function SignIn({
  station,
  onSignedIn,
  message,
}: {
  station: Station;
  onSignedIn: (op: Operator) => void;
  message: string | null;
}) {
  const screen = useCachedRead(`station:${station.id}`, () => stationScreen(station.token));
  const [who, setWho] = useState<Roster[number] | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!who) return;
    setBusy(true);
    setError(null);
    try {
      const op = await signIn({ userId: who.id, pin });
      good();
      onSignedIn(op);
    } catch (err) {
      bad();
      setPin('');
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const operators = screen.data?.operators ?? [];
  return (
    <main className="fl-signin">
      <h1>{station.name}</h1>
      <p className="fl-hint">Scan your badge, or tap your name and enter your PIN.</p>
      {(message || error) && (
        <p role="alert" className="fl-error">
          {error ?? message}
        </p>
      )}
      {!who ? (
        <div className="fl-roster">
          {operators.map((o) => (
            <button key={o.id} className="fl-tile" onClick={() => setWho(o)}>
              {o.displayName ?? o.username}
            </button>
          ))}
          {operators.length === 0 && <p>{screen.error ?? 'Loading the people of this station…'}</p>}
        </div>
      ) : (
        <div className="fl-pin">
          <h2>{who.displayName ?? who.username}</h2>
          <output className="fl-pin-dots" aria-label="PIN entered">
            {'●'.repeat(pin.length) || ' '}
          </output>
          <div className="fl-pad">
            {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
              <button key={d} onClick={() => setPin((p) => (p + d).slice(0, 16))}>
                {d}
              </button>
            ))}
            <button onClick={() => setPin('')} aria-label="Clear">
              C
            </button>
            <button onClick={() => setPin((p) => (p + '0').slice(0, 16))}>0</button>
            <button className="fl-go" disabled={busy || pin.length === 0} onClick={() => void submit()}>
              OK
            </button>
          </div>
          <button
            className="fl-secondary"
            onClick={() => {
              setWho(null);
              setPin('');
              setError(null);
            }}
          >
            Someone else
          </button>
        </div>
      )}
    </main>
  );
}
