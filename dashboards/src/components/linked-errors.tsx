import type { JSX } from 'preact';
import type { LinkedError } from '../api/types.js';
import { StackFrames } from './stack-frames.js';

/** `Error.cause` links or `AggregateError` members: each with its type, message and folded stack. */
export function LinkedErrors({ errors, kind }: { errors: readonly LinkedError[]; kind: 'cause' | 'member' }): JSX.Element {
  return (
    <ol class={`linked-errors ${kind}`}>
      {errors.map((e, i) => (
        <li key={i} class="linked-error">
          <div class="linked-head">
            {kind === 'cause' ? <span class="muted">caused by</span> : <span class="muted">#{i + 1}</span>}
            <span class="linked-type">{e.type}</span>
            {e.code ? <code class="linked-code">{e.code}</code> : null}
          </div>
          <pre class="message linked-message">{e.message}</pre>
          {e.frames.length ? (
            <details class="linked-frames">
              <summary>
                {e.frames.length} frame{e.frames.length === 1 ? '' : 's'}
              </summary>
              <StackFrames frames={e.frames} />
            </details>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
