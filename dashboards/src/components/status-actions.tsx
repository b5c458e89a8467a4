import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { setIssueStatus } from '../api/read-api.js';
import type { IssueStatus } from '../api/types.js';
import { UnauthorizedError } from '../errors.js';
import { reportUnauthorized } from '../state/auth.js';

const ACTIONS: Record<IssueStatus, { to: IssueStatus; label: string }[]> = {
  unresolved: [
    { to: 'resolved', label: 'Resolve' },
    { to: 'ignored', label: 'Ignore' },
  ],
  resolved: [{ to: 'unresolved', label: 'Reopen' }],
  ignored: [{ to: 'unresolved', label: 'Reopen' }],
};

/** Resolve / ignore / reopen; `onChanged` reloads the issue once the collector has stored the change. */
export function StatusActions({ id, status, onChanged }: { id: string; status: IssueStatus; onChanged: () => void }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const change = (to: IssueStatus): void => {
    setBusy(true);
    setError(undefined);
    setIssueStatus(id, to).then(
      () => {
        setBusy(false);
        onChanged();
      },
      (err: unknown) => {
        setBusy(false);
        if (err instanceof UnauthorizedError) reportUnauthorized(err);
        setError(err instanceof Error ? err.message : String(err));
      },
    );
  };
  return (
    <div class="status-actions">
      {ACTIONS[status].map((a) => (
        <button key={a.to} type="button" class={a.to === 'resolved' ? 'primary' : ''} disabled={busy} data-action={a.to} onClick={() => change(a.to)}>
          {a.label}
        </button>
      ))}
      {error ? (
        <span class="notice error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
