/** Admin: users and their roles (GET/POST/PATCH /users; changes carry the row's version). */
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { client as api, ok } from '../../api/client';
import type { Role } from '../../api/models';
import { Field, SaveStatus, useSave } from '../../components/Form';
import { ErrorBox, Loading } from '../../components/Status';

/** One entry per role the contract names, so a role added on the server fails the type check here. */
const ROLE_LABELS: Record<Role, string> = {
  operator: 'operator',
  supervisor: 'supervisor',
  production_manager: 'production_manager',
  admin: 'admin',
};
const ROLES = Object.keys(ROLE_LABELS) as Role[];

export function UsersAdmin() {
  const users = useQuery({ queryKey: ['users'], queryFn: () => ok(api.GET('/api/v1/users')) });
  const client = useQueryClient();
  const save = useSave();
  const [draft, setDraft] = useState({ username: '', displayName: '', password: '', role: 'operator' as Role });
  if (users.isPending) return <Loading what="users" />;
  if (users.error) return <ErrorBox error={users.error} />;
  const refresh = () => void client.invalidateQueries({ queryKey: ['users'] });

  const create = (e: FormEvent) => {
    e.preventDefault();
    void save.run(
      () =>
        api.POST('/api/v1/users', {
          body: {
            username: draft.username,
            password: draft.password,
            role: draft.role,
            displayName: draft.displayName || null,
          },
        }),
      `User ${draft.username} created.`,
      () => {
        setDraft({ username: '', displayName: '', password: '', role: 'operator' });
        refresh();
      },
    );
  };

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      <table>
        <thead>
          <tr>
            <th>User name</th>
            <th>Name</th>
            <th>Role</th>
            <th>Active</th>
          </tr>
        </thead>
        <tbody>
          {users.data.items.map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td>{u.displayName ?? ''}</td>
              <td>
                <select
                  aria-label={`Role of ${u.username}`}
                  value={u.role}
                  onChange={(e) =>
                    void save.run(
                      () =>
                        api.PATCH('/api/v1/users/{id}', {
                          params: { path: { id: u.id } },
                          body: { role: e.target.value as Role, version: u.version },
                        }),
                      `${u.username} is now ${e.target.value}.`,
                      refresh,
                    )
                  }
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              </td>
              <td>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={u.isActive}
                    aria-label={`${u.username} active`}
                    onChange={(e) =>
                      void save.run(
                        () =>
                          api.PATCH('/api/v1/users/{id}', {
                            params: { path: { id: u.id } },
                            body: { isActive: e.target.checked, version: u.version },
                          }),
                        `${u.username} ${e.target.checked ? 'activated' : 'deactivated'}.`,
                        refresh,
                      )
                    }
                  />
                  {u.isActive ? 'yes' : 'no'}
                </label>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="editor inline" onSubmit={create} aria-label="New user">
        <h3>New user</h3>
        <Field label="User name" error={save.fieldError('username')}>
          <input value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} required />
        </Field>
        <Field label="Full name" error={save.fieldError('displayName')}>
          <input value={draft.displayName} onChange={(e) => setDraft({ ...draft, displayName: e.target.value })} />
        </Field>
        <Field label="Initial password" error={save.fieldError('password')}>
          <input
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            required
          />
        </Field>
        <Field label="Role" error={save.fieldError('role')}>
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={save.busy}>
            Create user
          </button>
        </div>
      </form>
      <SaveStatus state={save} />
    </section>
  );
}
