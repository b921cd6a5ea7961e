/**
 * The signed-in screen: the header (work centers, clock in/out, sync state, camera, sign-out),
 * the queue with the open operation, and the panels (sync, problem report, supervisor). Every
 * scan on it (wedge or camera) is routed here by what the code names.
 */
import { parseCode } from '@kerf/floor-codes';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ok } from '../api/client';
import { setShopZone } from '../format';
import { useCachedRead } from './cached-read';
import { CameraScan } from './CameraScan';
import { bad, good } from './feedback';
import * as api from './floor-api';
import { replayer } from './floor-replayer';
import { IssueForm } from './IssueForm';
import { OperationPanel } from './OperationPanel';
import { record, type useOutbox } from './outbox-store';
import { pushSupported, subscribeToPush } from './push-subscribe';
import { QueueScreen } from './QueueScreen';
import { isSupervisor, operatorApi, operatorName, touch, type Operator, type Station } from './session';
import { SupervisorPanel } from './SupervisorPanel';
import { SyncPanel } from './SyncPanel';
import { useLive } from './use-live';
import { listenForScans } from './wedge';

export function Workspace({
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
