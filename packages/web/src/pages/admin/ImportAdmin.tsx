/**
 * Admin: CSV import of jobs or work centers (POST /imports/{kind}). A check is a dry run; an
 * import is all or nothing, and every row error is listed by row and column.
 */
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, asText, client as api, ok } from '../../api/client';
import type { ImportResult } from '../../api/models';
import { Field } from '../../components/Form';

interface RowError {
  row: number;
  column: string | null;
  message: string;
}
interface CsvErrors {
  errors: RowError[];
  rowsWithErrors: number;
  truncated: boolean;
}

const isCsvErrors = (d: unknown): d is CsvErrors =>
  typeof d === 'object' && d !== null && Array.isArray((d as CsvErrors).errors);

export function ImportAdmin() {
  const client = useQueryClient();
  const [kind, setKind] = useState<'jobs' | 'work-centers'>('jobs');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<{ message: string; details: CsvErrors | null } | null>(null);

  const send = async (dryRun: boolean) => {
    setBusy(true);
    setResult(null);
    setFailure(null);
    try {
      const csv = {
        params: { query: dryRun ? { dryRun } : {} },
        body: text,
        headers: { 'content-type': 'text/csv' },
        ...asText,
      };
      const answer = await ok(
        kind === 'jobs' ? api.POST('/api/v1/imports/jobs', csv) : api.POST('/api/v1/imports/work-centers', csv),
      );
      setResult(answer);
      if (!dryRun) void client.invalidateQueries({ queryKey: [kind === 'jobs' ? 'jobs' : 'work-centers'] });
    } catch (err) {
      const details = err instanceof ApiError && isCsvErrors(err.details) ? err.details : null;
      setFailure({ message: err instanceof Error ? err.message : String(err), details });
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(false);
  };

  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">CSV import</h2>
      <p className="muted">
        All or nothing: a file with any error imports nothing, and every problem is listed with its row (as a
        spreadsheet numbers it, the header is row 1) and column. Check first to see what would happen.
      </p>
      <form className="editor" onSubmit={submit} aria-label="CSV import">
        <Field label="What the file holds">
          <select value={kind} onChange={(e) => setKind(e.target.value as 'jobs' | 'work-centers')}>
            <option value="jobs">jobs (with parts and routing steps)</option>
            <option value="work-centers">work centers</option>
          </select>
        </Field>
        <Field label="CSV file">
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              void file.text().then(setText);
            }}
          />
        </Field>
        <Field label="or paste the CSV text">
          <textarea
            rows={8}
            cols={100}
            value={text}
            spellCheck={false}
            onChange={(e) => {
              setText(e.target.value);
              setFileName('');
            }}
          />
        </Field>
        <div className="actions">
          <button type="button" disabled={busy || !text} onClick={() => void send(true)}>
            Check (dry run)
          </button>
          <button type="submit" className="primary" disabled={busy || !text}>
            Import
          </button>
          {fileName && <span className="muted">{fileName}</span>}
        </div>
      </form>
      {result && (
        <div className="status ok" role="status" data-testid="import-result">
          <p>
            {result.dryRun ? 'Check passed: the import would' : 'Imported:'} create {result.imported.created} and update{' '}
            {result.imported.updated} ({result.rows} data rows).
          </p>
          <ul>
            {result.results.slice(0, 50).map((r) => (
              <li key={`${r.key}:${r.row}`}>
                row {r.row}: {r.key} {r.action}
              </li>
            ))}
          </ul>
        </div>
      )}
      {failure && (
        <div role="alert" className="import-errors" data-testid="import-errors">
          <p className="status error">{failure.message}</p>
          {failure.details && (
            <table>
              <caption>
                {failure.details.rowsWithErrors} row(s) with errors
                {failure.details.truncated ? ' (first 1000 shown)' : ''}
              </caption>
              <thead>
                <tr>
                  <th>Row</th>
                  <th>Column</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {failure.details.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.row}</td>
                    <td>{e.column ?? '(whole row)'}</td>
                    <td>{e.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
