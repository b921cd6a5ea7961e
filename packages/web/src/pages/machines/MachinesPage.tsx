/** /machines: every department's status board (a wall screen), and /alarms: the alarm list. */
import { useState } from 'react';
import { useDepartments, useWorkCenters } from '../../api/hooks';
import { useAuth } from '../../auth';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { Link } from '../../router';
import { AlarmList } from './AlarmList';
import { MachineBoard } from './MachineBoard';

export function MachinesPage() {
  const deps = useDepartments();
  const wcs = useWorkCenters();
  const { can } = useAuth();
  const error = deps.error ?? wcs.error;
  if (error) return <ErrorBox error={error} />;
  if (!deps.data || !wcs.data) return <Loading what="machines" />;
  if (deps.data.length === 0) return <Empty>No departments yet.</Empty>;
  return (
    <div className="page machines">
      <h1>Machine status</h1>
      <p>
        Live from the machines. <Link to="/alarms">Alarms</Link>
        {can('machine:config') && (
          <>
            {' · '}
            <Link to="/machines/register">Register a machine</Link>
            {' · '}
            <Link to="/admin/devices">MQTT devices</Link>
          </>
        )}
      </p>
      {deps.data.map((d) => (
        <section key={d.id} aria-labelledby={`board-${d.id}`}>
          <h2 id={`board-${d.id}`}>
            <Link to={`/departments/${d.id}`}>{d.name}</Link>
          </h2>
          <MachineBoard departmentId={d.id} workCenters={wcs.data.filter((w) => w.departmentId === d.id)} />
        </section>
      ))}
    </div>
  );
}

export function AlarmsPage() {
  const deps = useDepartments();
  const [department, setDepartment] = useState('');
  const [onlyOpen, setOnlyOpen] = useState(true);
  return (
    <div className="page alarms-page">
      <h1>Alarms</h1>
      <div className="form-row">
        <label>
          Department
          <select value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">all</option>
            {(deps.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} />
          Open alarms only
        </label>
      </div>
      <AlarmList department={department || undefined} active={onlyOpen ? true : undefined} />
    </div>
  );
}
