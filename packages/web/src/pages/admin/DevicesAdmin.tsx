/** Admin: MQTT device logins of the embedded broker (GET/POST/DELETE /mqtt-devices, POST /{id}/rotate). */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client as api, getAll, ok } from '../../api/client';
import type { MqttDevice, MqttDeviceSecret } from '../../api/models';
import { Field, SaveStatus, useSave } from '../../components/Form';
import { ErrorBox, Loading } from '../../components/Status';
import { fmt } from '../../format';
import { DeviceSecret } from './DeviceSecret';

const blank = { username: '', machineId: '', topics: '' };

export function DevicesAdmin() {
  const devices = useQuery({
    queryKey: ['mqtt-devices'],
    queryFn: () => ok(api.GET('/api/v1/mqtt-devices')),
  });
  const machines = useQuery({
    queryKey: ['machines'],
    queryFn: () => getAll((query) => api.GET('/api/v1/machines', { params: { query } })),
  });
  const client = useQueryClient();
  const save = useSave();
  const [draft, setDraft] = useState(blank);
  const [secret, setSecret] = useState<MqttDeviceSecret | null>(null);
  // the device whose Revoke was pressed once: a second press confirms
  const [confirming, setConfirming] = useState<string | null>(null);
  if (devices.isPending) return <Loading what="MQTT devices" />;
  if (devices.error) return <ErrorBox error={devices.error} />;
  const refresh = () => void client.invalidateQueries({ queryKey: ['mqtt-devices'] });
  // The server names the one prefix it refuses, e.g. allowedTopics[1].
  const topicsError =
    save.error instanceof ApiError && save.error.field?.startsWith('allowedTopics') ? save.error.message : undefined;

  const create = (e: FormEvent) => {
    e.preventDefault();
    const topics = draft.topics
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter(Boolean);
    void save.run(
      async () =>
        setSecret(
          await ok(
            api.POST('/api/v1/mqtt-devices', {
              body: {
                username: draft.username,
                ...(topics.length ? { allowedTopics: topics } : {}),
                ...(draft.machineId ? { machineId: draft.machineId } : {}),
              },
            }),
          ),
        ),
      `Device ${draft.username} created.`,
      () => {
        setDraft(blank);
        refresh();
      },
    );
  };

  const rotate = (d: MqttDevice) =>
    void save.run(
      async () => setSecret(await ok(api.POST('/api/v1/mqtt-devices/{id}/rotate', { params: { path: { id: d.id } } }))),
      `New password for ${d.username}; its open connections were closed.`,
      refresh,
    );

  const revoke = (d: MqttDevice) => {
    if (confirming !== d.id) return setConfirming(d.id);
    setConfirming(null);
    void save.run(
      () => api.DELETE('/api/v1/mqtt-devices/{id}', { params: { path: { id: d.id } } }),
      `Device ${d.username} revoked; its connections were closed.`,
      refresh,
    );
  };

  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title">MQTT devices</h2>
      <p className="muted">
        Machines and edge gateways log in to Kerf's MQTT broker with these. A device may publish only under its topic
        prefixes, and only for registered machines of the department the topic names.
      </p>
      {secret && <DeviceSecret secret={secret} onDone={() => setSecret(null)} />}
      <table>
        <thead>
          <tr>
            <th>User name</th>
            <th>Topic prefixes</th>
            <th>Machine</th>
            <th>Created</th>
            <th>Password changed</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.data.items.map((d) => (
            <tr key={d.id}>
              <td>{d.username}</td>
              <td>
                {d.allowedTopics.map((t) => (
                  <code key={t}>{t} </code>
                ))}
              </td>
              <td>{d.machineCode ?? ''}</td>
              <td>{fmt(d.createdAt)}</td>
              <td>{d.rotatedAt ? fmt(d.rotatedAt) : 'never'}</td>
              <td className="actions">
                <button type="button" onClick={() => rotate(d)} disabled={save.busy}>
                  Rotate password
                </button>
                <button
                  type="button"
                  className={confirming === d.id ? 'danger' : undefined}
                  onClick={() => revoke(d)}
                  disabled={save.busy}
                  aria-label={confirming === d.id ? `Confirm revoking ${d.username}` : `Revoke ${d.username}`}
                >
                  {confirming === d.id ? 'Confirm revoke' : 'Revoke'}
                </button>
              </td>
            </tr>
          ))}
          {devices.data.items.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No devices yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <SaveStatus state={save} />
      <form className="editor inline" onSubmit={create} aria-label="New MQTT device">
        <h3>New device</h3>
        <Field label="User name" error={save.fieldError('username')}>
          <input value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} required />
        </Field>
        <Field label="For machine" error={save.fieldError('machineId')}>
          <select value={draft.machineId} onChange={(e) => setDraft({ ...draft, machineId: e.target.value })}>
            <option value="">(none: give topic prefixes)</option>
            {(machines.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.code} ({m.protocol})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Topic prefixes (one per line; empty: the machine's)" error={topicsError}>
          <textarea
            rows={2}
            placeholder="shopfloor/weld/WELD-01/"
            value={draft.topics}
            onChange={(e) => setDraft({ ...draft, topics: e.target.value })}
          />
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy}>
            Create device
          </button>
        </div>
      </form>
    </section>
  );
}
