/**
 * The floor app: station set-up, operator sign-in, then the workspace (Workspace.tsx) of the
 * signed-in person. Scans from a wedge scanner are taken on every screen. Transactions and
 * problem reports go through the offline queue; the replay loop sends them whenever it can.
 */
import { parseCode } from '@kerf/floor-codes';
import { useCallback, useEffect, useState } from 'react';
import { bad, good } from './feedback';
import * as api from './floor-api';
import { replayer } from './floor-replayer';
import { bindReplayer, reloadOutbox, useOutbox } from './outbox-store';
import { loadOperator, loadStation, saveOperator, saveStation, touch, type Operator, type Station } from './session';
import { SignIn } from './SignIn';
import { StationSetup } from './StationSetup';
import { listenForScans } from './wedge';
import { Workspace } from './Workspace';

export function FloorApp() {
  const [station, setStation] = useState<Station | null>(() => loadStation());
  const [operator, setOperator] = useState<Operator | null>(() => loadOperator());
  const [message, setMessage] = useState<string | null>(null);
  const outbox = useOutbox();

  useEffect(() => {
    const stop = bindReplayer(replayer);
    const stopLoop = replayer.start();
    void reloadOutbox();
    const onMessage = (e: Event) => setMessage((e as CustomEvent<string>).detail);
    window.addEventListener('kerf-floor-message', onMessage);
    return () => {
      stop();
      stopLoop();
      window.removeEventListener('kerf-floor-message', onMessage);
    };
  }, []);

  // Idle sign-out: a touch or a key keeps the person signed in; the tablet checks twice a minute.
  useEffect(() => {
    const active = () => touch();
    window.addEventListener('pointerdown', active, true);
    window.addEventListener('keydown', active, true);
    const timer = setInterval(() => {
      if (loadStation() && !loadOperator()) setOperator(null);
    }, 30_000);
    return () => {
      window.removeEventListener('pointerdown', active, true);
      window.removeEventListener('keydown', active, true);
      clearInterval(timer);
    };
  }, []);

  const signedIn = useCallback((op: Operator) => {
    saveOperator(op);
    setOperator(op);
    setMessage(null);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } catch {
      // offline: the server session ends on its own; this tablet forgets it now
    }
    saveOperator(null);
    setOperator(null);
  }, []);

  const onScanSignedOut = useCallback(
    async (text: string) => {
      const parsed = parseCode(text);
      if (parsed.ok && parsed.code.type !== 'badge') {
        bad();
        setMessage('Scan your badge to sign in');
        return;
      }
      try {
        signedIn(await api.signIn({ badge: text }));
        good();
      } catch (err) {
        bad();
        setMessage(err instanceof Error ? err.message : String(err));
      }
    },
    [signedIn],
  );

  if (!station) return <StationSetup onReady={setStation} />;
  if (!operator)
    return (
      <SignInGate
        station={station}
        message={message}
        onSignedIn={signedIn}
        onScan={onScanSignedOut}
        onForget={() => {
          saveStation(null);
          setStation(null);
        }}
      />
    );
  return (
    <Workspace
      key={operator.user.id}
      station={station}
      operator={operator}
      outbox={outbox}
      message={message}
      setMessage={setMessage}
      onSwitch={signedIn}
      onSignOut={() => void signOut()}
    />
  );
}

function SignInGate({
  station,
  message,
  onSignedIn,
  onScan,
  onForget,
}: {
  station: Station;
  message: string | null;
  onSignedIn: (op: Operator) => void;
  onScan: (text: string) => void;
  onForget: () => void;
}) {
  useEffect(() => listenForScans(onScan), [onScan]);
  return (
    <>
      <SignIn station={station} onSignedIn={onSignedIn} message={message} />
      <button className="fl-link" onClick={onForget}>
        Not this station? Set up again
      </button>
    </>
  );
}
