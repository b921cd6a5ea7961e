/**
 * The floor app: station set-up, operator sign-in, then the queue of the station's work centers
 * with the selected operation beside it (tablet) or over it (phone). Scans from a wedge scanner
 * are taken on every screen; the camera is one tap away. Transactions and problem reports go
 * through the offline queue; the replay loop sends them whenever it can.
 */
import { parseCode } from '@kerf/floor-codes';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ok } from '../api/client';
import { setShopZone } from '../format';
import { useCachedRead } from './cached-read';
import { CameraScan } from './CameraScan';
import { bad, good } from './feedback';
import * as api from './floor-api';
import { IssueForm } from './IssueForm';
import { OperationPanel } from './OperationPanel';
import type { QueuedIssue } from './outbox';
import { bindReplayer, record, reloadOutbox, useOutbox } from './outbox-store';
import { pushSupported, subscribeToPush } from './push-subscribe';
import { QueueScreen } from './QueueScreen';
import { Replayer } from './replay';
import {
  isSupervisor,
  loadOperator,
  loadStation,
  operatorApi,
  operatorName,
  saveOperator,
  saveStation,
  touch,
  type Operator,
  type Station,
} from './session';
import { SignIn } from './SignIn';
import { StationSetup } from './StationSetup';
import { SupervisorPanel } from './SupervisorPanel';
import { SyncPanel } from './SyncPanel';
import { listenForScans } from './wedge';

async function sendIssue(issue: QueuedIssue): Promise<void> {
  const station = loadStation();
  if (!station) throw new Error('this tablet has no station token');
  const res = await fetch('/api/v1/floor/issues', {
    method: 'POST',
    headers: { authorization: `Bearer ${station.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(issue),
  });
  // A refusal (4xx) will not get better by sending it again: it is dropped with a message;
  // a server or network failure is retried.
  if (res.status >= 500) throw new Error(`the server answered ${res.status}`);
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    window.dispatchEvent(
      new CustomEvent('kerf-floor-message', { detail: `Report refused: ${body.message ?? res.status}` }),
    );
  }
}

const replayer = new Replayer(
  (batch) => api.sendTransactions(batch, loadStation()),
  (problems) => {
    bad();
    window.dispatchEvent(
      new CustomEvent('kerf-floor-message', {
        detail: `${problems.length} not applied: ${problems[0]?.message ?? ''} (see Sync)`,
      }),
    );
  },
  sendIssue,
);

/** Live refreshes: floor changes, schedule changes and (for supervisors) notifications. */
function useLive(token: string | null, onEvent: () => void): void {
  useEffect(() => {
    if (!token) return;
    let ws: WebSocket | undefined;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
      ws = new WebSocket(`${proto}://${window.location.host}/api/v1/ws?access_token=${encodeURIComponent(token)}`);
      ws.onopen = () => ws?.send(JSON.stringify({ subscribe: ['floor', 'schedule', 'notifications'] }));
      ws.onmessage = (m: MessageEvent<string>) => {
        if ((JSON.parse(m.data) as { event?: unknown }).event) onEvent();
      };
      ws.onclose = (e) => {
        if (!closed && e.code !== 4401 && e.code !== 4403) retry = setTimeout(open, 5_000);
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(retry);
      ws?.close();
    };
  }, [token, onEvent]);
}

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

function Workspace({
  station,
  operator,
  outbox,
  message,
  setMessage,
  onSwitch,
  onSignOut,
}: {
  station: Station;
  operator: Operator;
  outbox: ReturnType<typeof useOutbox>;
  message: string | null;
  setMessage: (m: string | null) => void;
  onSwitch: (op: Operator) => void;
  onSignOut: () => void;
}) {
  const [wc, setWc] = useState(station.workCenterIds[0] ?? '');
  const [openOp, setOpenOp] = useState<{ id: string; warning: string | null } | null>(null);
  const supervisor = isSupervisor(operator);
  // A notification's link (/floor/issues/<id>) opens a supervisor on the problem list.
  const [panel, setPanel] = useState<null | 'sync' | 'issue' | 'supervisor' | 'camera'>(() =>
    supervisor && window.location.pathname.startsWith('/floor/issues') ? 'supervisor' : null,
  );
  const [liveTick, setLiveTick] = useState(0);

  const queue = useCachedRead(`queue:${wc}`, () => api.queueOf(wc));
  const reasons = useCachedRead('reasons', api.reasons);
  const me = useCachedRead(`me:${operator.user.id}`, api.me);
  const settings = useCachedRead('shop-settings', api.shopSettings);
  useEffect(() => {
    if (settings.data?.timeZone) setShopZone(settings.data.timeZone);
  }, [settings.data]);

  const refreshQueue = queue.refresh;
  const refreshMe = me.refresh;
  // Events come in bursts (a tablet replaying its backlog sends hundreds): the queue is read
  // again at most every 2 s, after the burst's last event, not once per event.
  const liveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(liveTimer.current), []);
  const onLive = useCallback(() => {
    if (liveTimer.current) return;
    liveTimer.current = setTimeout(() => {
      liveTimer.current = undefined;
      void refreshQueue();
      setLiveTick((n) => n + 1);
    }, 2_000);
  }, [refreshQueue]);
  useLive(operator.token, onLive);
  useEffect(() => {
    if (outbox.lastSentAt) {
      void refreshQueue();
      void refreshMe();
    }
  }, [outbox.lastSentAt, refreshQueue, refreshMe]);

  const items = queue.data?.items ?? [];
  // A finished operation leaves the queue; its panel stays open (status, report a problem)
  // until the operator goes back.
  const [opened, setOpened] = useState<api.QueueItem | undefined>();
  const inQueue = openOp ? items.find((i) => i.operationId === openOp.id) : undefined;
  useEffect(() => {
    if (inQueue) setOpened(inQueue);
  }, [inQueue]);
  const item = inQueue ?? (openOp && opened?.operationId === openOp.id ? opened : undefined);

  // Clocked in: the server's answer, then what this tablet has queued since.
  let clockedIn = me.data?.clockedIn ?? false;
  for (const t of outbox.pending) {
    if (t.employee !== operator.user.id) continue;
    if (t.type === 'clock_in') clockedIn = true;
    if (t.type === 'clock_out') clockedIn = false;
  }

  const clock = async () => {
    await record({
      type: clockedIn ? 'clock_out' : 'clock_in',
      employee: operator.user.id,
      employeeName: operatorName(operator),
      label: clockedIn ? 'clock out' : 'clock in',
    });
    good();
  };

  const openOperation = useCallback(
    async (routingId: string, printedRevision: number | null, code: string | null) => {
      // What the server says of a printed code: what changed since it was printed and, for a
      // step replaced by a routing update, the step now in its place. Offline: nothing.
      const resolve = async () => {
        if (!code) return null;
        try {
          return await ok(operatorApi.GET('/api/v1/floor/scan', { params: { query: { code } } }));
        } catch {
          return null;
        }
      };
      let here = items.find((i) => i.operationId === routingId);
      let scan: Awaited<ReturnType<typeof resolve>> = null;
      if (!here && code) {
        scan = await resolve();
        here = scan?.operationId ? items.find((i) => i.operationId === scan?.operationId) : undefined;
      }
      if (!here) {
        bad();
        setMessage('Wrong operation for this machine: it is not in the queue of ' + wc);
        return;
      }
      good();
      const id = here.operationId;
      const stale = (printedRevision !== null && printedRevision < here.revision) || id !== routingId;
      const warning = stale
        ? id !== routingId
          ? 'This traveler was printed before the routing was changed: print a new one.'
          : `This traveler was printed at routing revision ${printedRevision}; it is now ${here.revision}.`
        : null;
      setOpenOp({ id, warning });
      setPanel(null);
      if (!warning) return;
      scan ??= await resolve();
      if (scan?.changes.length) {
        const what = scan.changes.map((c) => `${c.field}: ${c.from ?? '—'} → ${c.to ?? '—'}`).join('; ');
        setOpenOp({ id, warning: `${warning} Changed: ${what}` });
      }
    },
    [items, wc, setMessage],
  );

  const onScan = useCallback(
    async (text: string) => {
      touch();
      const parsed = parseCode(text);
      if (!parsed.ok) {
        bad();
        setMessage(`Not a Kerf code (${parsed.error}): scan again`);
        return;
      }
      const code = parsed.code;
      setMessage(null);
      if (code.type === 'operation') await openOperation(code.routingId, code.revision, parsed.text);
      else if (code.type === 'workCenter') {
        if (station.workCenterIds.includes(code.workCenterId)) {
          good();
          setWc(code.workCenterId);
          setOpenOp(null);
        } else {
          bad();
          setMessage(`${code.workCenterId} is not served by this station (${station.workCenterIds.join(', ')})`);
        }
      } else if (code.type === 'job') {
        const first = items.find((i) => i.jobNumber.toUpperCase() === code.jobNumber);
        if (first) await openOperation(first.operationId, null, null);
        else {
          bad();
          setMessage(`Job ${code.jobNumber} has nothing queued at ${wc}`);
        }
      } else if (code.type === 'badge') {
        try {
          onSwitch(await api.signIn({ badge: parsed.text }));
          good();
        } catch (err) {
          bad();
          setMessage(err instanceof Error ? err.message : String(err));
        }
      } else {
        bad();
        setMessage(`Lot ${code.lot}: material lots are not booked on this screen; nothing was recorded`);
      }
    },
    [openOperation, items, station.workCenterIds, wc, onSwitch, setMessage],
  );
  useEffect(() => listenForScans((t) => void onScan(t)), [onScan]);

  const problems = outbox.problems.length;
  const layout = useMemo(() => (item ? 'fl-main fl-has-op' : 'fl-main'), [item]);
  return (
    <div className="fl-app">
      <header className="fl-bar">
        <strong className="fl-station">{station.name}</strong>
        <nav className="fl-wcs" aria-label="Work centers">
          {station.workCenterIds.map((id) => (
            <button
              key={id}
              className={id === wc ? 'fl-tab fl-tab-on' : 'fl-tab'}
              aria-pressed={id === wc}
              onClick={() => {
                setWc(id);
                setOpenOp(null);
              }}
            >
              {id}
            </button>
          ))}
        </nav>
        <span className="fl-who">{operatorName(operator)}</span>
        <button className={clockedIn ? 'fl-secondary' : 'fl-primary'} onClick={() => void clock()}>
          {clockedIn ? 'Clock out' : 'Clock in'}
        </button>
        <button
          className={problems ? 'fl-secondary fl-alert' : 'fl-secondary'}
          onClick={() => setPanel(panel === 'sync' ? null : 'sync')}
          data-testid="sync-badge"
        >
          {outbox.pending.length ? `${outbox.pending.length} to send` : 'Synced'}
          {problems ? ` · ${problems} to check` : ''}
        </button>
        <button className="fl-secondary" onClick={() => setPanel('camera')}>
          Camera
        </button>
        {supervisor && (
          <button className="fl-secondary" onClick={() => setPanel(panel === 'supervisor' ? null : 'supervisor')}>
            Problems
          </button>
        )}
        {pushSupported() && (
          <button
            className="fl-secondary"
            onClick={() =>
              void subscribeToPush().then(setMessage, (err: unknown) =>
                setMessage(`Notifications could not be turned on: ${err instanceof Error ? err.message : String(err)}`),
              )
            }
          >
            Notify me
          </button>
        )}
        <button className="fl-secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {message && (
        <p role="alert" className="fl-error fl-message" onClick={() => setMessage(null)}>
          {message}
        </p>
      )}
      {me.data?.lastAutoClosed && !clockedIn && (
        <p className="fl-warning">Your last shift was clocked out at its end because you did not clock out.</p>
      )}
      {panel === 'camera' && (
        <CameraScan
          onScan={(t) => {
            setPanel(null);
            void onScan(t);
          }}
          onClose={() => setPanel(null)}
        />
      )}
      {panel === 'sync' && (
        <SyncPanel outbox={outbox} onSendNow={() => void replayer.kick(true)} onClose={() => setPanel(null)} />
      )}
      {panel === 'supervisor' && <SupervisorPanel liveTick={liveTick} />}
      {panel === 'issue' && (
        <IssueForm
          workCenterId={wc}
          operationId={openOp?.id ?? null}
          operator={operator}
          reasons={reasons.data ?? []}
          onCancel={() => setPanel(null)}
          onQueued={() => {
            setPanel(null);
            setMessage('Report queued: your supervisor is told as soon as it is sent');
            void replayer.kick(true);
          }}
        />
      )}
      {panel === null && (
        <div className={layout}>
          <QueueScreen
            queue={queue}
            pending={outbox.pending}
            selected={openOp?.id ?? null}
            onOpen={(i) => void openOperation(i.operationId, null, null)}
          />
          {item && (
            <OperationPanel
              key={item.operationId}
              item={item}
              operator={operator}
              pending={outbox.pending}
              reasons={reasons.data ?? []}
              lastSentAt={outbox.lastSentAt}
              warning={openOp?.warning ?? null}
              onRecord={record}
              onReportIssue={() => setPanel('issue')}
              onClose={() => setOpenOp(null)}
            />
          )}
        </div>
      )}
      {panel === null && !item && (
        <button className="fl-secondary fl-report-wc" onClick={() => setPanel('issue')}>
          Report a problem at {wc}
        </button>
      )}
    </div>
  );
}
