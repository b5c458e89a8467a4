import type { JSX } from 'preact';
import type { AsyncStackEntry } from '../api/types.js';
import { FrameLine, StackFrames } from './stack-frames.js';

/**
 * The spawn chain, innermost first: for each task, the group it ran in and the `go(...)` call that started
 * it, then that call's own callers. This is the part of the story a plain V8 stack loses at each await.
 */
export function AsyncChain({ chain }: { chain: readonly AsyncStackEntry[] }): JSX.Element {
  return (
    <ol class="async-chain">
      {chain.map((entry, i) => {
        const [site, ...callers] = entry.frames;
        return (
          <li key={i} class="spawn" data-kind={entry.kind}>
            <div class="spawn-head">
              {i > 0 ? <span class="spawn-arrow muted">spawned by</span> : <span class="spawn-arrow muted">failed in</span>}
              <span class="badge kind">{entry.kind === 'errgroup' ? 'ErrGroup' : 'WaitGroup'}</span>
              <span class="spawn-group" title="group">
                {entry.group || '(unnamed group)'}
              </span>
              <span class="muted">›</span>
              <span class="spawn-task" title="task">
                {entry.task || '(unnamed task)'}
              </span>
            </div>
            {site ? (
              <div class="spawn-site">
                <span class="go-call">{entry.kind === 'errgroup' ? 'g.go(…)' : 'wg.go(…)'}</span>
                <FrameLine frame={site} />
              </div>
            ) : (
              <p class="muted">Spawn site not recorded.</p>
            )}
            {callers.length ? <StackFrames frames={callers} /> : null}
          </li>
        );
      })}
    </ol>
  );
}
