import type { JSX } from 'preact';
import type { Frame } from '../api/types.js';

/** `file:line:column`, leaving out what the frame does not have. */
export function frameLocation(frame: Frame): string {
  let loc = frame.file || '<unknown>';
  if (frame.line !== undefined) loc += `:${frame.line}`;
  if (frame.line !== undefined && frame.column !== undefined) loc += `:${frame.column}`;
  return loc;
}

export function FrameLine({ frame }: { frame: Frame }): JSX.Element {
  return (
    <div class={frame.inApp ? 'frame in-app' : 'frame library'} data-in-app={frame.inApp ? 'true' : 'false'}>
      <span class="frame-kind">{frame.inApp ? 'app' : 'lib'}</span>
      <span class="frame-fn">
        {frame.async ? 'async ' : ''}
        {frame.function || '<anonymous>'}
      </span>
      <span class="frame-loc">{frameLocation(frame)}</span>
    </div>
  );
}

type Run = { inApp: true; frame: Frame; index: number } | { inApp: false; frames: Frame[]; index: number };

/** Consecutive library frames collapse into one run, so the app's own frames stand out. */
function runs(frames: readonly Frame[]): Run[] {
  const out: Run[] = [];
  frames.forEach((frame, index) => {
    const last = out[out.length - 1];
    if (frame.inApp) out.push({ inApp: true, frame, index });
    else if (last && !last.inApp) last.frames.push(frame);
    else out.push({ inApp: false, frames: [frame], index });
  });
  return out;
}

/**
 * A stack, innermost frame first, with in-app frames marked and runs of library frames folded behind a
 * summary. When no frame is in-app there is nothing to fold towards, so every frame is shown.
 */
export function StackFrames({ frames }: { frames: readonly Frame[] }): JSX.Element {
  if (frames.length === 0) return <p class="muted">No frames.</p>;
  if (!frames.some((f) => f.inApp)) {
    return (
      <ol class="frames">
        {frames.map((f, i) => (
          <li key={i}>
            <FrameLine frame={f} />
          </li>
        ))}
      </ol>
    );
  }
  return (
    <ol class="frames">
      {runs(frames).map((run) =>
        run.inApp ? (
          <li key={run.index}>
            <FrameLine frame={run.frame} />
          </li>
        ) : (
          <li key={run.index} class="folded">
            <details class="library-frames">
              <summary>
                {run.frames.length} library frame{run.frames.length === 1 ? '' : 's'}
              </summary>
              <ol class="frames">
                {run.frames.map((f, i) => (
                  <li key={i}>
                    <FrameLine frame={f} />
                  </li>
                ))}
              </ol>
            </details>
          </li>
        ),
      )}
    </ol>
  );
}
