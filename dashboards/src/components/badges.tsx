import type { JSX } from 'preact';
import type { IssueStatus, Level } from '../api/types.js';

export function LevelBadge({ level }: { level: Level }): JSX.Element {
  return <span class={`badge level level-${level}`}>{level}</span>;
}

export function StatusBadge({ status, regressed }: { status: IssueStatus; regressed?: boolean }): JSX.Element {
  return (
    <span class="badges">
      <span class={`badge status status-${status}`} data-status={status}>
        {status}
      </span>
      {regressed && status === 'unresolved' ? <span class="badge regressed">regressed</span> : null}
    </span>
  );
}
