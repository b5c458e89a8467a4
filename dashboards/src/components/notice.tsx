import type { JSX } from 'preact';
import { UnauthorizedError } from '../errors.js';

/** A failed load, said plainly; 401s are explained by the token prompt, so they show nothing here. */
export function ErrorNotice({ error }: { error: Error | undefined }): JSX.Element | null {
  if (!error || error instanceof UnauthorizedError) return null;
  return (
    <p class="notice error" role="alert">
      {error.message}
    </p>
  );
}

export function Loading(): JSX.Element {
  return <p class="muted loading">Loading…</p>;
}
