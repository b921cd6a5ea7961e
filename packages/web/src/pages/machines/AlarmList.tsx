/** Alarm records (GET /alarms) with acknowledge for supervisors and up; live on machine.alarm events. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client as api, ok } from '../../api/client';
import { useEvents } from '../../api/ws';
import { useAuth } from '../../auth';
import { SaveStatus, useSave } from '../../components/Form';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { fmt } from '../../format';

/** The permission the server asks for acknowledging (docs: supervisors and up). */
const ACK = 'schedule:edit';

export function AlarmList({ department, active }: { department?: string; active?: boolean }) {
  const { can } = useAuth();
  const client = useQueryClient();
  const save = useSave();
  const query = { limit: 200, ...(department ? { department } : {}), ...(active !== undefined ? { active } : {}) };
  const key = ['alarms', department ?? '', active ?? ''];
  const alarms = useQuery({
    queryKey: key,
    queryFn: () => ok(api.GET('/api/v1/alarms', { params: { query } })),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  useEvents([department ? `machines:${department}` : 'machines'], (e) => {
    if (e.type === 'machine.alarm') void client.invalidateQueries({ queryKey: ['alarms'] });
  });

  if (alarms.isPending) return <Loading what="alarms" />;
  if (alarms.error instanceof ApiError && alarms.error.status === 404)
    return <Empty>No data: this server does not record machine alarms yet.</Empty>;
  if (alarms.error) return <ErrorBox error={alarms.error} />;
  if (alarms.data.items.length === 0) return <Empty>No alarms{active ? ' open' : ''}.</Empty>;
  return (
    <>
      <SaveStatus state={save} />
      <table className="alarms" data-testid="alarm-list">
        <thead>
          <tr>
            <th>Raised</th>
            <th>Machine</th>
            <th>Severity</th>
            <th>Alarm</th>
            <th>Cleared</th>
            <th>Acknowledged</th>
          </tr>
        </thead>
        <tbody>
          {alarms.data.items.map((a) => (
            <tr key={a.id} className={`sev-${a.severity}${a.clearedAt ? ' cleared' : ''}`}>
              <td>{fmt(a.raisedAt)}</td>
              <td>{a.machineCode}</td>
              <td>{a.severity}</td>
              <td>
                <b>{a.code}</b> {a.message}
              </td>
              <td>{a.clearedAt ? fmt(a.clearedAt) : 'active'}</td>
              <td>
                {a.acknowledgedAt ? (
                  `${a.acknowledgedBy ?? ''} ${fmt(a.acknowledgedAt)}`
                ) : can(ACK) ? (
                  <button
                    type="button"
                    aria-label={`Acknowledge ${a.code} on ${a.machineCode}`}
                    disabled={save.busy}
                    onClick={() =>
                      void save.run(
                        () => api.POST('/api/v1/alarms/{id}/acknowledge', { params: { path: { id: a.id } } }),
                        `Acknowledged ${a.code} on ${a.machineCode}.`,
                        () => void client.invalidateQueries({ queryKey: ['alarms'] }),
                      )
                    }
                  >
                    Acknowledge
                  </button>
                ) : (
                  'not yet'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
