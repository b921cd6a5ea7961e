/** Admin: work centers, created and edited (POST / PATCH /work-centers, with the row's version). */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { client as api } from '../../api/client';
import { useDepartments, useWorkCenters } from '../../api/hooks';
import type { WorkCenter } from '../../api/models';
import { Field, SaveStatus, useSave } from '../../components/Form';
import { Empty, ErrorBox, Loading } from '../../components/Status';

type Draft = {
  id: string;
  name: string;
  departmentId: string;
  machineType: string;
  capacityMinutesPerShift: string;
  efficiencyFactor: string;
  setupCategory: string;
  isBottleneck: boolean;
  isActive: boolean;
};

const blank: Draft = {
  id: '',
  name: '',
  departmentId: '',
  machineType: '',
  capacityMinutesPerShift: '480',
  efficiencyFactor: '0.85',
  setupCategory: '',
  isBottleneck: false,
  isActive: true,
};

const toDraft = (w: WorkCenter): Draft => ({
  id: w.id,
  name: w.name,
  departmentId: w.departmentId,
  machineType: w.machineType,
  capacityMinutesPerShift: String(w.capacityMinutesPerShift),
  efficiencyFactor: String(w.efficiencyFactor),
  setupCategory: w.setupCategory ?? '',
  isBottleneck: w.isBottleneck,
  isActive: w.isActive,
});

export function WorkCentersAdmin() {
  const wcs = useWorkCenters();
  const deps = useDepartments();
  const client = useQueryClient();
  const save = useSave();
  // null: no form; '' : a new work center; otherwise the id being edited
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(blank);

  if (wcs.isPending || deps.isPending) return <Loading what="work centers" />;
  if (wcs.error) return <ErrorBox error={wcs.error} />;
  if (deps.error) return <ErrorBox error={deps.error} />;
  const types = [...new Set(wcs.data.map((w) => w.machineType))].sort();

  const open = (w: WorkCenter | null) => {
    save.reset();
    setEditing(w ? w.id : '');
    setDraft(w ? toDraft(w) : { ...blank, departmentId: deps.data[0]?.id ?? '' });
  };
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields = {
      name: draft.name,
      departmentId: draft.departmentId,
      machineType: draft.machineType,
      capacityMinutesPerShift: Number(draft.capacityMinutesPerShift),
      efficiencyFactor: Number(draft.efficiencyFactor),
      setupCategory: draft.setupCategory.trim() || null,
      isBottleneck: draft.isBottleneck,
      isActive: draft.isActive,
    };
    const current = wcs.data.find((w) => w.id === editing);
    void save.run(
      () =>
        editing
          ? api.PATCH('/api/v1/work-centers/{id}', {
              params: { path: { id: editing } },
              body: { ...fields, version: current?.version },
            })
          : api.POST('/api/v1/work-centers', { body: { id: draft.id, ...fields } }),
      `Saved work center ${editing || draft.id}.`,
      () => {
        setEditing(null);
        void client.invalidateQueries({ queryKey: ['work-centers'] });
      },
    );
  };

  return (
    <section aria-labelledby="wc-title">
      <h2 id="wc-title">Work centers</h2>
      <button type="button" onClick={() => open(null)}>
        New work center
      </button>
      <SaveStatus state={save} />
      {editing !== null && (
        <form className="editor" onSubmit={submit} aria-label={editing ? `Edit ${editing}` : 'New work center'}>
          <h3>{editing ? `Edit ${editing}` : 'New work center'}</h3>
          {!editing && (
            <Field label="Id (code)" error={save.fieldError('id')}>
              <input value={draft.id} onChange={(e) => set('id', e.target.value)} required />
            </Field>
          )}
          <Field label="Name" error={save.fieldError('name')}>
            <input value={draft.name} onChange={(e) => set('name', e.target.value)} required />
          </Field>
          <Field label="Department" error={save.fieldError('departmentId')}>
            <select value={draft.departmentId} onChange={(e) => set('departmentId', e.target.value)}>
              {deps.data.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Machine type" error={save.fieldError('machineType')}>
            <input
              value={draft.machineType}
              list="machine-types"
              onChange={(e) => set('machineType', e.target.value)}
              required
            />
          </Field>
          <datalist id="machine-types">
            {types.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <Field label="Minutes per shift" error={save.fieldError('capacityMinutesPerShift')}>
            <input
              type="number"
              value={draft.capacityMinutesPerShift}
              onChange={(e) => set('capacityMinutesPerShift', e.target.value)}
            />
          </Field>
          <Field label="Efficiency" error={save.fieldError('efficiencyFactor')}>
            <input
              type="number"
              step="0.01"
              value={draft.efficiencyFactor}
              onChange={(e) => set('efficiencyFactor', e.target.value)}
            />
          </Field>
          <Field label="Setup category" error={save.fieldError('setupCategory')}>
            <input value={draft.setupCategory} onChange={(e) => set('setupCategory', e.target.value)} />
          </Field>
          <label className="check">
            <input
              type="checkbox"
              checked={draft.isBottleneck}
              onChange={(e) => set('isBottleneck', e.target.checked)}
            />
            Bottleneck
          </label>
          <label className="check">
            <input type="checkbox" checked={draft.isActive} onChange={(e) => set('isActive', e.target.checked)} />
            Active
          </label>
          <div className="actions">
            <button type="submit" className="primary" disabled={save.busy}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {wcs.data.length === 0 ? (
        <Empty>No work centers yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Id</th>
              <th>Name</th>
              <th>Department</th>
              <th>Type</th>
              <th>Minutes per shift</th>
              <th>Efficiency</th>
              <th>Setup category</th>
              <th>Bottleneck</th>
              <th>Active</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {wcs.data.map((w) => (
              <tr key={w.id}>
                <td>{w.id}</td>
                <td>{w.name}</td>
                <td>{w.departmentId}</td>
                <td>{w.machineType}</td>
                <td>{w.capacityMinutesPerShift}</td>
                <td>{w.efficiencyFactor}</td>
                <td>{w.setupCategory ?? '—'}</td>
                <td>{w.isBottleneck ? 'yes' : 'no'}</td>
                <td>{w.isActive ? 'yes' : 'no'}</td>
                <td>
                  <button type="button" onClick={() => open(w)} aria-label={`Edit ${w.id}`}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
