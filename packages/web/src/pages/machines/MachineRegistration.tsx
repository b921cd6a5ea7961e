/**
 * /machines/register: register a machine (POST /machines) or edit one (PATCH, with its version),
 * then see what it must publish to and create its device login. Connection passwords are never
 * shown: the field stays empty, and empty keeps the stored one.
 */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { client as api, getAll, ok } from '../../api/client';
import { useDepartments, useWorkCenters } from '../../api/hooks';
import { Field, SaveStatus, useSave } from '../../components/Form';
import { ErrorBox, Loading } from '../../components/Status';
import { Link } from '../../router';
import { MachineInstructions } from './MachineInstructions';
import { PROTOCOL_LABELS, PROTOCOLS, type Protocol, type RegisteredMachine } from './machine-registration-types';

interface Draft {
  code: string;
  name: string;
  workCenterId: string;
  departmentId: string;
  protocol: Protocol;
  groupId: string;
  edgeNodeId: string;
  url: string;
  device: string;
  endpointUrl: string;
  namespaceUri: string;
  securityMode: string;
  userName: string;
  password: string;
}

const blank: Draft = {
  code: '',
  name: '',
  workCenterId: '',
  departmentId: '',
  protocol: 'mqtt',
  groupId: '',
  edgeNodeId: '',
  url: '',
  device: '',
  endpointUrl: '',
  namespaceUri: '',
  securityMode: 'SignAndEncrypt',
  userName: '',
  password: '',
};

const SECRET_MARKER = '********';
const text = (v: unknown) => (typeof v === 'string' ? v : '');

function toDraft(m: RegisteredMachine): Draft {
  const c = m.connection;
  const identity = (c.identity ?? {}) as Record<string, unknown>;
  return {
    ...blank,
    code: m.code,
    name: m.name,
    workCenterId: m.workCenterId ?? '',
    departmentId: m.departmentId,
    protocol: m.protocol,
    groupId: text(c.groupId),
    edgeNodeId: text(c.edgeNodeId),
    url: text(c.url),
    device: text(c.device),
    endpointUrl: text(c.endpointUrl),
    namespaceUri: text(c.namespaceUri),
    securityMode: text(c.securityMode) || 'SignAndEncrypt',
    userName: text(identity.userName),
  };
}

/** Drops redacted secrets, so sending the connection back keeps what is stored. */
function withoutMarkers(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === SECRET_MARKER) continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? withoutMarkers(v as Record<string, unknown>) : v;
  }
  return out;
}

/** The connection to send: what is stored (settings this form does not show), with the form's fields over it. */
function connectionOf(d: Draft, stored: Record<string, unknown>): Record<string, unknown> {
  const c: Record<string, unknown> = { ...withoutMarkers(stored) };
  const set = (key: string, value: string) => {
    if (value.trim()) c[key] = value.trim();
    else delete c[key];
  };
  switch (d.protocol) {
    case 'mqtt':
      break;
    case 'sparkplug':
      set('groupId', d.groupId);
      set('edgeNodeId', d.edgeNodeId);
      break;
    case 'mtconnect':
      set('url', d.url);
      set('device', d.device);
      break;
    case 'opcua': {
      set('endpointUrl', d.endpointUrl);
      set('namespaceUri', d.namespaceUri);
      set('securityMode', d.securityMode);
      if (d.userName.trim()) {
        const before = (c.identity ?? {}) as Record<string, unknown>;
        // An empty password field leaves the stored one alone (it is never sent to the browser).
        c.identity = {
          ...before,
          type: 'username',
          userName: d.userName.trim(),
          ...(d.password ? { password: d.password } : {}),
        };
      } else c.identity = { type: 'anonymous' };
      break;
    }
  }
  return c;
}

export function MachineRegistration() {
  const machines = useQuery({
    queryKey: ['machines'],
    queryFn: () => getAll((query) => api.GET('/api/v1/machines', { params: { query } })),
  });
  const deps = useDepartments();
  const wcs = useWorkCenters();
  const client = useQueryClient();
  const save = useSave();
  // null: a new machine; otherwise the id being edited
  const [editing, setEditing] = useState<RegisteredMachine | null>(null);
  const [draft, setDraft] = useState<Draft>(blank);
  const [saved, setSaved] = useState<RegisteredMachine | null>(null);
  const error = machines.error ?? deps.error ?? wcs.error;
  if (error) return <ErrorBox error={error} />;
  if (!machines.data || !deps.data || !wcs.data) return <Loading what="machines" />;
  const departmentId = draft.departmentId || deps.data[0]?.id || '';
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const pickWorkCenter = (id: string) => {
    const wc = wcs.data.find((w) => w.id === id);
    setDraft((d) => ({ ...d, workCenterId: id, ...(wc ? { departmentId: wc.departmentId } : {}) }));
  };

  const edit = (m: RegisteredMachine | null) => {
    save.reset();
    setSaved(null);
    setEditing(m);
    setDraft(m ? toDraft(m) : blank);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields = {
      name: draft.name,
      departmentId,
      workCenterId: draft.workCenterId || null,
      protocol: draft.protocol,
      connection: connectionOf(draft, editing?.connection ?? {}),
    };
    void save.run(
      async () => {
        const row = editing
          ? await ok(
              api.PATCH('/api/v1/machines/{id}', {
                params: { path: { id: editing.id } },
                body: {
                  ...fields,
                  ...(draft.code !== editing.code ? { code: draft.code } : {}),
                  version: editing.version,
                },
              }),
            )
          : await ok(api.POST('/api/v1/machines', { body: { code: draft.code, ...fields } }));
        setSaved(row);
      },
      editing ? `Saved machine ${draft.code}.` : `Registered machine ${draft.code}.`,
      () => {
        setEditing(null);
        setDraft(blank);
        void client.invalidateQueries({ queryKey: ['machines'] });
      },
    );
  };

  return (
    <div className="page machine-registration">
      <h1>Register a machine</h1>
      <p>
        <Link to="/machines">Machine status</Link> · <Link to="/admin/devices">MQTT devices</Link>
      </p>
      <SaveStatus state={save} />
      {saved && <MachineInstructions machine={saved} />}
      <form className="editor" onSubmit={submit} aria-label={editing ? `Edit ${editing.code}` : 'New machine'}>
        <h2>{editing ? `Edit ${editing.code}` : 'New machine'}</h2>
        <Field label="Code (as the machine reports it)" error={save.fieldError('code')}>
          <input value={draft.code} onChange={(e) => set('code', e.target.value)} required placeholder="LASER-02" />
        </Field>
        <Field label="Name" error={save.fieldError('name')}>
          <input value={draft.name} onChange={(e) => set('name', e.target.value)} required />
        </Field>
        <Field label="Work center" error={save.fieldError('workCenterId')}>
          <select value={draft.workCenterId} onChange={(e) => pickWorkCenter(e.target.value)}>
            <option value="">(none)</option>
            {wcs.data.map((w) => (
              <option key={w.id} value={w.id}>
                {w.id} {w.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Department" error={save.fieldError('departmentId')}>
          <select value={departmentId} onChange={(e) => set('departmentId', e.target.value)}>
            {deps.data.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Protocol" error={save.fieldError('protocol')}>
          <select value={draft.protocol} onChange={(e) => set('protocol', e.target.value as Protocol)}>
            {PROTOCOLS.map((p) => (
              <option key={p} value={p}>
                {PROTOCOL_LABELS[p]}
              </option>
            ))}
          </select>
        </Field>
        <ConnectionFields draft={draft} set={set} departmentId={departmentId} fieldError={save.fieldError} />
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy}>
            {editing ? 'Save machine' : 'Register machine'}
          </button>
          {editing && (
            <button type="button" onClick={() => edit(null)}>
              Cancel
            </button>
          )}
        </div>
      </form>
      <h2>Registered machines</h2>
      <table>
        <thead>
          <tr>
            <th>Code</th>
            <th>Name</th>
            <th>Department</th>
            <th>Work center</th>
            <th>Protocol</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {machines.data.map((m) => (
            <tr key={m.id}>
              <td>{m.code}</td>
              <td>{m.name}</td>
              <td>{m.departmentId}</td>
              <td>{m.workCenterId ?? ''}</td>
              <td>{m.protocol}</td>
              <td className="actions">
                <button type="button" onClick={() => edit(m)} aria-label={`Edit ${m.code}`}>
                  Edit
                </button>
                <button type="button" onClick={() => setSaved(m)} aria-label={`How ${m.code} reports`}>
                  How it reports
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConnectionFields({
  draft,
  set,
  departmentId,
  fieldError,
}: {
  draft: Draft;
  set: <K extends keyof Draft>(k: K, v: Draft[K]) => void;
  departmentId: string;
  fieldError: (name: string) => string | undefined;
}) {
  const err = (key: string) => fieldError(`connection.${key}`) ?? fieldError('connection');
  switch (draft.protocol) {
    case 'mqtt':
      return (
        <p className="muted">
          Nothing to set: the machine publishes under{' '}
          <code>
            shopfloor/{departmentId}/{draft.code || '<code>'}/
          </code>
          .
        </p>
      );
    case 'sparkplug':
      return (
        <>
          <Field label="Sparkplug group id" error={err('groupId')}>
            <input value={draft.groupId} onChange={(e) => set('groupId', e.target.value)} placeholder={departmentId} />
          </Field>
          <Field label="Edge node id" error={err('edgeNodeId')}>
            <input value={draft.edgeNodeId} onChange={(e) => set('edgeNodeId', e.target.value)} />
          </Field>
        </>
      );
    case 'mtconnect':
      return (
        <>
          <Field label="Agent URL" error={err('url')}>
            <input
              value={draft.url}
              onChange={(e) => set('url', e.target.value)}
              required
              placeholder="http://10.0.4.21:5000"
            />
          </Field>
          <Field label="Device name in the agent" error={err('device')}>
            <input value={draft.device} onChange={(e) => set('device', e.target.value)} placeholder={draft.code} />
          </Field>
        </>
      );
    case 'opcua':
      return (
        <>
          <Field label="Endpoint URL" error={err('endpointUrl')}>
            <input
              value={draft.endpointUrl}
              onChange={(e) => set('endpointUrl', e.target.value)}
              required
              placeholder="opc.tcp://10.0.4.30:4840"
            />
          </Field>
          <Field label="Namespace URI" error={err('namespaceUri')}>
            <input value={draft.namespaceUri} onChange={(e) => set('namespaceUri', e.target.value)} required />
          </Field>
          <Field label="Security mode" error={err('securityMode')}>
            <select value={draft.securityMode} onChange={(e) => set('securityMode', e.target.value)}>
              <option>SignAndEncrypt</option>
              <option>Sign</option>
              <option>None</option>
            </select>
          </Field>
          <Field label="User name (empty: anonymous)" error={err('identity')}>
            <input value={draft.userName} onChange={(e) => set('userName', e.target.value)} autoComplete="off" />
          </Field>
          <Field label="Password (empty: keep the stored one)" error={err('identity')}>
            <input
              type="password"
              value={draft.password}
              onChange={(e) => set('password', e.target.value)}
              autoComplete="new-password"
            />
          </Field>
        </>
      );
  }
}
