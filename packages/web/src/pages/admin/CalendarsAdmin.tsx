/**
 * Admin: weekly shifts of a work center and calendar exceptions (holidays, maintenance,
 * shutdowns). Shift times are wall-clock times in the shop's zone.
 */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { client as api } from '../../api/client';
import { useExceptions, useShifts, useWorkCenters } from '../../api/hooks';
import type { ExceptionType, Shift } from '../../api/models';
import { Field, SaveStatus, useSave } from '../../components/Form';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { fmtDay, shopZone } from '../../format';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hhmm = (t: string) => t.slice(0, 5);

/** "09:00-09:15, 11:30-12:00" as the API's breaks; the server checks each (400 naming breaks[i]). */
function parseBreaks(text: string): Array<{ start: string; end: string }> {
  return text
    .split(/[,;\s]+/)
    .filter((b) => b.length > 0)
    .map((b) => {
      const [start = '', end = ''] = b.split('-');
      return { start, end };
    });
}

const formatBreaks = (breaks: ReadonlyArray<{ start: string; end: string }>): string =>
  breaks.map((b) => `${hhmm(b.start)}-${hhmm(b.end)}`).join(', ');

/** The first error the server named on the breaks field or one of its items. */
const breakError = (fieldError: (field: string) => string | undefined): string | undefined =>
  ['breaks', ...Array.from({ length: 12 }, (_, i) => `breaks[${i}]`)].map(fieldError).find(Boolean);

export function CalendarsAdmin() {
  const wcs = useWorkCenters();
  const shifts = useShifts();
  const exceptions = useExceptions();
  const client = useQueryClient();
  const shiftSave = useSave();
  const exSave = useSave();
  const [wc, setWc] = useState('');
  const [editing, setEditing] = useState<Shift | null>(null);
  const [shiftDraft, setShiftDraft] = useState({
    dayOfWeek: '0',
    shiftNumber: '1',
    name: 'Day',
    startTime: '06:00',
    endTime: '14:30',
    breaks: '',
  });
  const [exDraft, setExDraft] = useState({
    exceptionDate: '',
    exceptionType: 'holiday' as ExceptionType,
    scope: '',
    description: '',
  });

  const error = wcs.error ?? shifts.error ?? exceptions.error;
  if (error) return <ErrorBox error={error} />;
  if (!wcs.data || !shifts.data || !exceptions.data) return <Loading what="calendars" />;
  const center = wc || wcs.data[0]?.id || '';
  const own = shifts.data
    .filter((s) => s.workCenterId === center)
    .sort((a, b) => a.dayOfWeek - b.dayOfWeek || a.shiftNumber - b.shiftNumber);
  const today = fmtDay(Date.now());
  const upcoming = exceptions.data
    .filter((e) => e.exceptionDate.slice(0, 10) >= today)
    .sort((a, b) => a.exceptionDate.localeCompare(b.exceptionDate));
  const refreshShifts = () => void client.invalidateQueries({ queryKey: ['shift-calendars'] });
  const refreshExceptions = () => void client.invalidateQueries({ queryKey: ['calendar-exceptions'] });

  const submitShift = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      workCenterId: center,
      dayOfWeek: Number(shiftDraft.dayOfWeek),
      shiftNumber: Number(shiftDraft.shiftNumber),
      name: shiftDraft.name,
      startTime: shiftDraft.startTime,
      endTime: shiftDraft.endTime,
      breaks: parseBreaks(shiftDraft.breaks),
    };
    void shiftSave.run(
      () =>
        editing
          ? api.PATCH('/api/v1/shift-calendars/{id}', {
              params: { path: { id: editing.id } },
              body: { ...body, version: editing.version },
            })
          : api.POST('/api/v1/shift-calendars', { body }),
      editing ? 'Shift saved.' : `Shift added to ${center}.`,
      () => {
        setEditing(null);
        refreshShifts();
      },
    );
  };

  const submitException = (e: FormEvent) => {
    e.preventDefault();
    void exSave.run(
      () =>
        api.POST('/api/v1/calendar-exceptions', {
          body: {
            exceptionDate: exDraft.exceptionDate,
            exceptionType: exDraft.exceptionType,
            workCenterId: exDraft.scope || null,
            description: exDraft.description || null,
          },
        }),
      `Added ${exDraft.exceptionType} on ${exDraft.exceptionDate}.`,
      refreshExceptions,
    );
  };

  return (
    <>
      <section aria-labelledby="shifts-title">
        <h2 id="shifts-title">Shift calendar</h2>
        <p className="muted">
          Times are wall-clock times in {shopZone()}; an end at or before the start ends the next day.
        </p>
        <Field label="Work center">
          <select
            value={center}
            onChange={(e) => {
              setWc(e.target.value);
              setEditing(null);
            }}
          >
            {wcs.data.map((w) => (
              <option key={w.id} value={w.id}>
                {w.id} {w.name}
              </option>
            ))}
          </select>
        </Field>
        {own.length === 0 ? (
          <Empty>{center} has no shifts: it has no capacity.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Day</th>
                <th>Shift</th>
                <th>Name</th>
                <th>From</th>
                <th>To</th>
                <th>Breaks</th>
                <th>Active</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {own.map((s) => (
                <tr key={s.id}>
                  <td>{DAYS[s.dayOfWeek]}</td>
                  <td>{s.shiftNumber}</td>
                  <td>{s.name}</td>
                  <td>{hhmm(s.startTime)}</td>
                  <td>{hhmm(s.endTime)}</td>
                  <td>{formatBreaks(s.breaks)}</td>
                  <td>{s.isActive ? 'yes' : 'no'}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      aria-label={`Edit ${DAYS[s.dayOfWeek]} shift ${s.shiftNumber}`}
                      onClick={() => {
                        shiftSave.reset();
                        setEditing(s);
                        setShiftDraft({
                          dayOfWeek: String(s.dayOfWeek),
                          shiftNumber: String(s.shiftNumber),
                          name: s.name,
                          startTime: hhmm(s.startTime),
                          endTime: hhmm(s.endTime),
                          breaks: formatBreaks(s.breaks),
                        });
                      }}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      aria-label={`${s.isActive ? 'Deactivate' : 'Activate'} ${DAYS[s.dayOfWeek]} shift ${s.shiftNumber}`}
                      onClick={() =>
                        void shiftSave.run(
                          () =>
                            api.PATCH('/api/v1/shift-calendars/{id}', {
                              params: { path: { id: s.id } },
                              body: { isActive: !s.isActive, version: s.version },
                            }),
                          'Shift saved.',
                          refreshShifts,
                        )
                      }
                    >
                      {s.isActive ? 'Deactivate' : 'Activate'}
                    </button>
                    <button
                      type="button"
                      aria-label={`Delete ${DAYS[s.dayOfWeek]} shift ${s.shiftNumber}`}
                      onClick={() =>
                        void shiftSave.run(
                          () => api.DELETE('/api/v1/shift-calendars/{id}', { params: { path: { id: s.id } } }),
                          'Shift deleted.',
                          refreshShifts,
                        )
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="editor inline" onSubmit={submitShift} aria-label={editing ? 'Edit shift' : 'Add shift'}>
          <h3>
            {editing ? `Edit ${DAYS[editing.dayOfWeek]} shift ${editing.shiftNumber}` : `Add a shift to ${center}`}
          </h3>
          <Field label="Day" error={shiftSave.fieldError('dayOfWeek')}>
            <select
              value={shiftDraft.dayOfWeek}
              onChange={(e) => setShiftDraft({ ...shiftDraft, dayOfWeek: e.target.value })}
            >
              {DAYS.map((d, i) => (
                <option key={d} value={i}>
                  {d}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Shift number" error={shiftSave.fieldError('shiftNumber')}>
            <select
              value={shiftDraft.shiftNumber}
              onChange={(e) => setShiftDraft({ ...shiftDraft, shiftNumber: e.target.value })}
            >
              {['1', '2', '3'].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </Field>
          <Field label="Shift name" error={shiftSave.fieldError('name')}>
            <input value={shiftDraft.name} onChange={(e) => setShiftDraft({ ...shiftDraft, name: e.target.value })} />
          </Field>
          <Field label="Starts" error={shiftSave.fieldError('startTime')}>
            <input
              type="time"
              value={shiftDraft.startTime}
              onChange={(e) => setShiftDraft({ ...shiftDraft, startTime: e.target.value })}
            />
          </Field>
          <Field label="Ends" error={shiftSave.fieldError('endTime')}>
            <input
              type="time"
              value={shiftDraft.endTime}
              onChange={(e) => setShiftDraft({ ...shiftDraft, endTime: e.target.value })}
            />
          </Field>
          <Field label="Breaks" error={breakError(shiftSave.fieldError)}>
            <input
              value={shiftDraft.breaks}
              placeholder="09:00-09:15, 11:30-12:00"
              onChange={(e) => setShiftDraft({ ...shiftDraft, breaks: e.target.value })}
            />
          </Field>
          <div className="actions">
            <button type="submit" className="primary" disabled={shiftSave.busy}>
              {editing ? 'Save shift' : 'Add shift'}
            </button>
            {editing && (
              <button type="button" onClick={() => setEditing(null)}>
                Cancel
              </button>
            )}
          </div>
        </form>
        <SaveStatus state={shiftSave} />
      </section>

      <section aria-labelledby="exceptions-title">
        <h2 id="exceptions-title">Holidays and closures</h2>
        <form className="editor inline" onSubmit={submitException} aria-label="Add a closure">
          <Field label="Date" error={exSave.fieldError('exceptionDate')}>
            <input
              type="date"
              value={exDraft.exceptionDate}
              onChange={(e) => setExDraft({ ...exDraft, exceptionDate: e.target.value })}
              required
            />
          </Field>
          <Field label="Kind" error={exSave.fieldError('exceptionType')}>
            <select
              value={exDraft.exceptionType}
              onChange={(e) => setExDraft({ ...exDraft, exceptionType: e.target.value as ExceptionType })}
            >
              <option value="holiday">holiday</option>
              <option value="maintenance">maintenance</option>
              <option value="shutdown">shutdown</option>
            </select>
          </Field>
          <Field label="Applies to" error={exSave.fieldError('workCenterId')}>
            <select value={exDraft.scope} onChange={(e) => setExDraft({ ...exDraft, scope: e.target.value })}>
              <option value="">the whole shop</option>
              {wcs.data.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.id}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Description" error={exSave.fieldError('description')}>
            <input
              value={exDraft.description}
              onChange={(e) => setExDraft({ ...exDraft, description: e.target.value })}
            />
          </Field>
          <div className="actions">
            <button type="submit" className="primary" disabled={exSave.busy}>
              Add closure
            </button>
          </div>
        </form>
        <SaveStatus state={exSave} />
        {upcoming.length === 0 ? (
          <Empty>No holidays or closures ahead.</Empty>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Date</th>
                <th>Kind</th>
                <th>Applies to</th>
                <th>Description</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {upcoming.map((x) => (
                <tr key={x.id}>
                  <td>{x.exceptionDate.slice(0, 10)}</td>
                  <td>{x.exceptionType}</td>
                  <td>{x.workCenterId ?? 'whole shop'}</td>
                  <td>{x.description ?? ''}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Delete ${x.exceptionType} on ${x.exceptionDate.slice(0, 10)}${x.description ? ` (${x.description})` : ''}`}
                      onClick={() =>
                        void exSave.run(
                          () => api.DELETE('/api/v1/calendar-exceptions/{id}', { params: { path: { id: x.id } } }),
                          'Closure deleted.',
                          refreshExceptions,
                        )
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
