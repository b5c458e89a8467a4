import type { ComponentChildren, JSX } from 'preact';
import type { StoredEvent } from '../api/types.js';
import { absoluteTime } from '../format/time.js';
import { AsyncChain } from './async-chain.js';
import { LevelBadge } from './badges.js';
import { LinkedErrors } from './linked-errors.js';
import { StackFrames } from './stack-frames.js';
import { KeyValueTable, ValueView } from './value-view.js';

function Section({ title, name, children }: { title: string; name: string; children: ComponentChildren }): JSX.Element {
  return (
    <section class="panel event-section" data-section={name}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function definedEntries(obj: Record<string, unknown> | undefined): [string, unknown][] {
  return obj ? Object.entries(obj).filter(([, v]) => v !== undefined) : [];
}

/** Everything one report holds, each part in its own section; every string is set as text. */
export function EventDetail({ event }: { event: StoredEvent }): JSX.Element {
  const tags = Object.entries(event.context.tags);
  const ctx = (['user', 'request', 'extra'] as const).filter((k) => event.context[k] && Object.keys(event.context[k]).length);
  return (
    <div class="event" data-event-id={event.id}>
      <section class="panel event-head">
        <div class="event-meta">
          <LevelBadge level={event.level} />
          <span class="event-type">{event.type}</span>
          {event.code ? <code class="event-code">{event.code}</code> : null}
          <span class="muted" title={event.timestamp}>
            {absoluteTime(event.timestamp)}
          </span>
          <span class="muted">
            {event.handled ? 'handled' : 'unhandled'} · {event.mechanism}
          </span>
        </div>
        <pre class="message event-message">{event.message}</pre>
      </section>

      <Section title="Stack" name="stack">
        <StackFrames frames={event.frames} />
        {event.stack ? (
          <details class="raw-stack">
            <summary>Raw stack</summary>
            <pre>{event.stack}</pre>
          </details>
        ) : null}
      </Section>

      {event.asyncStack?.length ? (
        <Section title="Async spawn chain" name="async">
          <AsyncChain chain={event.asyncStack} />
        </Section>
      ) : null}

      {event.causes?.length ? (
        <Section title="Causes" name="causes">
          <LinkedErrors errors={event.causes} kind="cause" />
        </Section>
      ) : null}

      {event.errors?.length ? (
        <Section title="Aggregated errors" name="errors">
          <LinkedErrors errors={event.errors} kind="member" />
        </Section>
      ) : null}

      <Section title="Tags" name="tags">
        {tags.length ? (
          <ul class="tags">
            {tags.map(([k, v]) => (
              <li key={k} class="tag">
                <span class="tag-key">{k}</span>
                <span class="tag-value">{v}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No tags.</p>
        )}
      </Section>

      {ctx.map((k) => (
        <Section key={k} title={k[0]!.toUpperCase() + k.slice(1)} name={k}>
          <ValueView value={event.context[k]} />
        </Section>
      ))}

      {event.group ? (
        <Section title="Group" name="group">
          <KeyValueTable entries={definedEntries(event.group)} />
        </Section>
      ) : null}

      <Section title="Trace and runtime" name="trace">
        <KeyValueTable
          entries={[
            ['trace id', event.trace?.traceId ?? '—'],
            ['span id', event.trace?.spanId ?? '—'],
            ['service', [event.service.name, event.service.version, event.service.environment].filter(Boolean).join(' · ')],
            ['runtime', [event.runtime.name, event.runtime.version, event.runtime.platform, event.runtime.arch].filter(Boolean).join(' ')],
            ['host', [event.runtime.hostname, event.runtime.pid === undefined ? undefined : `pid ${event.runtime.pid}`].filter(Boolean).join(' · ')],
            ['sdk', `${event.sdk.name} ${event.sdk.version}`],
            ['event id', event.id],
            ...(event.receivedAt === undefined ? [] : ([['received', absoluteTime(event.receivedAt)]] as [string, unknown][])),
            ...(event.fingerprint ? ([['fingerprint', event.fingerprint.join(' · ')]] as [string, unknown][]) : []),
          ]}
        />
      </Section>
    </div>
  );
}
