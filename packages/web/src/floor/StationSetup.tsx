/**
 * First run on a tablet: an admin creates a station (POST /api/v1/floor/stations) and enters its
 * device token here, or opens /floor#station=<token> (e.g. from a QR code on the admin screen).
 */
import { useEffect, useState } from 'react';
import { stationScreen } from './floor-api';
import { saveStation, type Station } from './session';

export function StationSetup({ onReady }: { onReady: (s: Station) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const connect = async (t: string) => {
    setBusy(true);
    setError(null);
    try {
      const screen = await stationScreen(t.trim());
      const station = { token: t.trim(), ...screen.station };
      saveStation(station);
      onReady(station);
    } catch (err) {
      setError(`This token does not open a station: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const m = /station=([^&]+)/.exec(window.location.hash);
    if (m?.[1]) {
      history.replaceState(null, '', window.location.pathname);
      void connect(decodeURIComponent(m[1]));
    }
    // runs once: the token in the link is used and removed from the address bar
  }, []);

  return (
    <main className="fl-center">
      <h1>Set up this tablet</h1>
      <p>Enter the station token an admin created for this tablet&apos;s work centers.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void connect(token);
        }}
      >
        <label className="fl-field">
          Station token
          <input
            name="station-token"
            value={token}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setToken(e.target.value)}
          />
        </label>
        <button className="fl-primary" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Use this station'}
        </button>
      </form>
      {error && (
        <p role="alert" className="fl-error">
          {error}
        </p>
      )}
    </main>
  );
}
