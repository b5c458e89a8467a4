import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listIssues } from '../api/read-api.js';
import type { IssueStatus, Level, SortKey } from '../api/types.js';
import { FilterSelect, type Option } from '../components/filter-select.js';
import { IssueRow, IssueTableHead } from '../components/issue-row.js';
import { ErrorNotice, Loading } from '../components/notice.js';
import { ServicesFilter } from '../components/services-filter.js';
import { LIVE_POLL_MS } from '../state/live.js';
import { setQuery } from '../state/router.js';
import { useApi } from '../state/use-api.js';

export const PAGE_SIZE = 50;

const STATUS_OPTIONS: Option[] = [
  { value: '', label: 'Unresolved' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'ignored', label: 'Ignored' },
  { value: 'all', label: 'Any status' },
];
const LEVEL_OPTIONS: Option[] = [
  { value: '', label: 'Any level' },
  { value: 'fatal', label: 'fatal' },
  { value: 'error', label: 'error' },
  { value: 'warning', label: 'warning' },
  { value: 'info', label: 'info' },
];
const SORT_OPTIONS: Option[] = [
  { value: '', label: 'Last seen' },
  { value: 'firstSeen', label: 'First seen' },
  { value: 'count', label: 'Events' },
];

/** "51–100 of 5,000" (without the total when the collector does not send one). */
export function pagerRange(first: number, last: number, total: number | undefined): string {
  const range = `${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')}`;
  return total === undefined ? range : `${range} of ${total.toLocaleString('en-US')}`;
}

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** Waits until typing pauses before a search hits the API (and the URL). */
function SearchBox({ value }: { value: string }): JSX.Element {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text.trim() === value) return undefined;
    const t = window.setTimeout(() => setQuery({ q: text.trim() || undefined }), 250);
    return () => window.clearTimeout(t);
  }, [text, value]);
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        setQuery({ q: text.trim() || undefined });
      }}
    >
      <input type="search" name="q" placeholder="Search title, message, culprit" value={text} onInput={(e) => setText(e.currentTarget.value)} />
    </form>
  );
}

/**
 * The issue list: filters and search in the URL, cursor paging (each page is one indexed query, however deep),
 * and the first page refreshed live.
 */
export function IssuesPage({ query }: { query: URLSearchParams }): JSX.Element {
  const q = query.get('q') ?? '';
  const statusParam = query.get('status') ?? '';
  const status: IssueStatus | undefined = statusParam === 'all' ? undefined : (pick(statusParam, ['resolved', 'ignored'] as const) ?? 'unresolved');
  const level = pick<Level>(query.get('level'), ['fatal', 'error', 'warning', 'info']);
  const sort: SortKey = pick<SortKey>(query.get('sort'), ['firstSeen', 'count']) ?? 'lastSeen';
  const service = query.get('service') ?? '';
  const environment = query.get('environment') ?? '';
  const filterKey = JSON.stringify([q, status, level, sort, service, environment]);

  // Cursors of the pages after the first; reset whenever a filter changes.
  const [paging, setPaging] = useState<{ filterKey: string; cursors: string[] }>({ filterKey, cursors: [] });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [];
  const cursor = cursors[cursors.length - 1];

  const page = useApi(
    `${filterKey}|${cursor ?? ''}`,
    (signal) =>
      listIssues(
        { q: q || undefined, status, level, sort, service: service || undefined, environment: environment || undefined, cursor, limit: PAGE_SIZE, sparkline: true },
        signal,
      ),
    { pollMs: cursor ? undefined : LIVE_POLL_MS },
  );
  const issues = page.data?.issues;
  const nextCursor = page.data?.nextCursor ?? undefined;
  const first = cursors.length * PAGE_SIZE + 1;
  const now = Date.now();

  return (
    <div class="page issues-page" data-loading={page.loading ? 'true' : 'false'}>
      <div class="page-head">
        <h1>Issues</h1>
        <div class="toolbar">
          <SearchBox value={q} />
          <FilterSelect label="Status" name="status" value={statusParam === 'unresolved' ? '' : statusParam} options={STATUS_OPTIONS} onChange={(v) => setQuery({ status: v || undefined })} />
          <FilterSelect label="Level" name="level" value={level ?? ''} options={LEVEL_OPTIONS} onChange={(v) => setQuery({ level: v || undefined })} />
          <ServicesFilter service={service} environment={environment} onChange={(c) => setQuery(c)} />
          <FilterSelect label="Sort" name="sort" value={sort === 'lastSeen' ? '' : sort} options={SORT_OPTIONS} onChange={(v) => setQuery({ sort: v || undefined })} />
        </div>
      </div>
      <ErrorNotice error={page.error} />
      {issues ? (
        issues.length ? (
          <table class="issues" data-count={issues.length}>
            <IssueTableHead />
            <tbody>
              {issues.map((i) => (
                <IssueRow key={i.id} issue={i} now={now} />
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted empty-list">No issues match.</p>
        )
      ) : page.error ? null : (
        <Loading />
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={cursors.length === 0} onClick={() => setPaging({ filterKey, cursors: cursors.slice(0, -1) })}>
          ← Previous
        </button>
        <span class="muted pager-range">{issues?.length ? pagerRange(first, first + issues.length - 1, page.data?.total) : ''}</span>
        <button type="button" disabled={!nextCursor} onClick={() => nextCursor && setPaging({ filterKey, cursors: [...cursors, nextCursor] })}>
          Next →
        </button>
      </nav>
    </div>
  );
}
