/** /admin: the work centers of the shop (read-only list for now). */
import { useWorkCenters } from '../api/hooks';
import { Empty, ErrorBox, Loading } from '../components/Status';

export function AdminPage() {
  const wcs = useWorkCenters();
  if (wcs.isPending) return <Loading what="work centers" />;
  if (wcs.error) return <ErrorBox error={wcs.error} />;
  return (
    <div className="page">
      <h1>Admin: work centers</h1>
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
              <th>Bottleneck</th>
              <th>Active</th>
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
                <td>{w.isBottleneck ? 'yes' : 'no'}</td>
                <td>{w.isActive ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
