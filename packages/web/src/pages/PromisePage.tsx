/**
 * /promise: capable-to-promise for a prospective job (POST /promise). The planner types the
 * routing; the server fits it into the gaps of the booked schedule and answers the earliest
 * completion, what decides it, and the date if lower-priority work may be pushed.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, client, ok } from '../api/client';
import type { PromiseAnswer } from '../api/models';
import { useWorkCenters } from '../api/hooks';
import { ErrorBox } from '../components/Status';
import { fmt, fromLocalInput, shopZone } from '../format';

interface StepRow {
  key: number;
  sequence: string;
  operationCode: string;
  workCenterType: string;
  setupMinutes: string;
  runMinutesPerUnit: string;
  dependsOn: string;
}

let nextKey = 1;
const row = (sequence: number, workCenterType: string, operationCode: string): StepRow => ({
  key: nextKey++,
  sequence: String(sequence),
  operationCode,
  workCenterType,
  setupMinutes: '15',
  runMinutesPerUnit: '2',
  dependsOn: '',
});

const FIELDS: { name: keyof Omit<StepRow, 'key'>; label: string; type: string; width?: number }[] = [
  { name: 'sequence', label: 'Step', type: 'number', width: 60 },
  { name: 'operationCode', label: 'Operation', type: 'text' },
  { name: 'workCenterType', label: 'Work center type', type: 'select' },
  { name: 'setupMinutes', label: 'Setup (min)', type: 'number', width: 80 },
  { name: 'runMinutesPerUnit', label: 'Run (min/unit)', type: 'number', width: 90 },
  { name: 'dependsOn', label: 'After steps', type: 'text', width: 90 },
];

const hoursText = (min: number) => (min < 120 ? `${Math.round(min)} min` : `${(min / 60).toFixed(1)} h`);

export function PromisePage() {
  const wcs = useWorkCenters();
  const types = useMemo(() => [...new Set((wcs.data ?? []).map((w) => w.machineType))].sort(), [wcs.data]);
  const [quantity, setQuantity] = useState('10');
  const [priority, setPriority] = useState('3');
  const [due, setDue] = useState('');
  const [steps, setSteps] = useState<StepRow[] | null>(null);
  const [answer, setAnswer] = useState<PromiseAnswer | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);

  // Until the planner edits them, a cut and a forming step on the shop's own types are a sensible start.
  const pick = (re: RegExp, fallback: number) => types.find((t) => re.test(t)) ?? types[fallback] ?? types[0] ?? '';
  const rows =
    steps ??
    (types.length ? [row(10, pick(/laser|cut|punch/i, 0), 'CUT'), row(20, pick(/brake|form|bend/i, 1), 'FORM')] : []);
  const update = (key: number, name: keyof StepRow, value: string) =>
    setSteps(rows.map((r) => (r.key === key ? { ...r, [name]: value } : r)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const dueIso = due ? fromLocalInput(due) : null;
      const body = {
        quantity: Number(quantity),
        priority: Number(priority),
        ...(dueIso ? { dueDate: dueIso } : {}),
        routings: rows.map((r) => ({
          sequence: Number(r.sequence),
          operationCode: r.operationCode.trim(),
          workCenterType: r.workCenterType,
          setupMinutes: Number(r.setupMinutes || '0'),
          runMinutesPerUnit: Number(r.runMinutesPerUnit),
          ...(r.dependsOn.trim() === ''
            ? {}
            : {
                dependsOn:
                  r.dependsOn.trim() === '-'
                    ? []
                    : r.dependsOn
                        .split(/[,; ]+/)
                        .filter(Boolean)
                        .map((x) => Number(x)),
              }),
        })),
      };
      setAnswer(await ok(client.POST('/api/v1/promise', { body })));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const field = error instanceof ApiError ? (error.field ?? '') : '';
  const invalid = (name: string) => field === name || field.startsWith(`${name}.`) || field.startsWith(`${name}[`);
  const stepInvalid = (i: number, name: string) => field === `routings[${i}].${name}` || field === `routings[${i}]`;

  return (
    <div className="page promise">
      <h1>Capable to promise</h1>
      <p className="muted">
        When could a new job be done? Describe it; Kerf fits its steps into the gaps of the current schedule (nothing
        booked moves) and says what decides the date. Times in {shopZone()}.
      </p>
      <form onSubmit={(e) => void submit(e)} aria-label="Prospective job" noValidate>
        <div className="form-row">
          <label>
            Quantity
            <input
              type="number"
              min={1}
              value={quantity}
              onChange={(e) => setQuantity(e.target.value)}
              aria-invalid={invalid('quantity') || undefined}
              required
            />
          </label>
          <label>
            Priority
            <select value={priority} onChange={(e) => setPriority(e.target.value)}>
              <option value="1">1 Rush</option>
              <option value="2">2 High</option>
              <option value="3">3 Normal</option>
              <option value="4">4 Low</option>
            </select>
          </label>
          <label>
            Wanted by (optional)
            <input
              type="datetime-local"
              value={due}
              onChange={(e) => setDue(e.target.value)}
              aria-invalid={invalid('dueDate') || undefined}
            />
          </label>
        </div>
        <table className="steps-editor">
          <caption>Routing steps (After steps: empty = the previous step, - = none, or e.g. 10, 20)</caption>
          <thead>
            <tr>
              {FIELDS.map((f) => (
                <th key={f.name} scope="col">
                  {f.label}
                </th>
              ))}
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key}>
                {FIELDS.map((f) => {
                  const label = `Step ${i + 1} ${f.label}`;
                  const bad = stepInvalid(i, f.name);
                  return (
                    <td key={f.name}>
                      {f.type === 'select' ? (
                        <select
                          aria-label={label}
                          value={r[f.name]}
                          onChange={(e) => update(r.key, f.name, e.target.value)}
                          aria-invalid={bad || undefined}
                        >
                          {types.map((t) => (
                            <option key={t}>{t}</option>
                          ))}
                        </select>
                      ) : (
                        <input
                          aria-label={label}
                          type={f.type}
                          value={r[f.name]}
                          style={f.width ? { width: f.width } : undefined}
                          onChange={(e) => update(r.key, f.name, e.target.value)}
                          aria-invalid={bad || undefined}
                        />
                      )}
                    </td>
                  );
                })}
                <td>
                  <button
                    type="button"
                    aria-label={`Remove step ${i + 1}`}
                    disabled={rows.length <= 1}
                    onClick={() => setSteps(rows.filter((x) => x.key !== r.key))}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              const last = rows[rows.length - 1];
              setSteps([...rows, row(Number(last?.sequence ?? 0) + 10, last?.workCenterType ?? types[0] ?? '', 'OP')]);
            }}
          >
            Add step
          </button>
          <button type="submit" className="primary" disabled={busy || rows.length === 0}>
            {busy ? 'Checking…' : 'Check date'}
          </button>
        </div>
      </form>
      {error && (
        <div role="alert" className="status error">
          {error.message}
          {field ? <small> (field {field})</small> : null}
        </div>
      )}
      {wcs.error ? <ErrorBox error={wcs.error} /> : null}
      {answer && <PromiseResult answer={answer} />}
    </div>
  );
}

function PromiseResult({ answer }: { answer: PromiseAnswer }) {
  const push = answer.ifPushingLowerPriority;
  return (
    <section aria-labelledby="promise-result" className="promise-result" data-testid="promise-result">
      <h2 id="promise-result">
        Earliest completion: <span data-testid="promise-date">{fmt(answer.earliestCompletion)}</span>
      </h2>
      {answer.onTime !== null && (
        <p className={answer.onTime ? 'ok' : 'late'}>
          {answer.onTime ? 'On time for the wanted date.' : `Late by ${hoursText(answer.lateMinutes ?? 0)}.`}
        </p>
      )}
      <p>{answer.justification.text}</p>
      <table>
        <caption>Where the steps would go (nothing booked moves)</caption>
        <thead>
          <tr>
            <th>Step</th>
            <th>Operation</th>
            <th>Work center</th>
            <th>Start</th>
            <th>End</th>
            <th>Waits for its center</th>
          </tr>
        </thead>
        <tbody>
          {answer.steps.map((s) => (
            <tr key={s.sequence} className={answer.justification.criticalPath.includes(s.sequence) ? 'chosen' : ''}>
              <td>{s.sequence}</td>
              <td>{s.operationCode}</td>
              <td>{s.workCenterId}</td>
              <td>{fmt(s.start)}</td>
              <td>{fmt(s.end)}</td>
              <td>{s.waitMinutes > 0 ? hoursText(s.waitMinutes) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>If lower-priority work may be pushed</h3>
      <p>
        Completion {fmt(push.completion)}
        {push.earlierByMinutes > 0 ? `, ${hoursText(push.earlierByMinutes)} earlier` : ' (no earlier)'}.
        {push.pushedJobs.length > 0 &&
          ` Jobs in the way: ${[...new Set(push.pushedJobs.map((j) => j.jobNumber))].slice(0, 10).join(', ')}. Run a plan to see how late they would get.`}
      </p>
      <p className="muted">Answered in {answer.computedInMs} ms. Rows in bold set the date.</p>
    </section>
  );
}
