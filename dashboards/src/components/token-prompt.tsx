import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { saveToken } from '../api/token.js';
import type { UnauthorizedError } from '../errors.js';
import { credentialsChanged } from '../state/auth.js';

/**
 * Shown when the API answered 401: says why (no token entered, or the entered one refused, with the
 * collector's own message), and takes the token, kept in this browser and sent as a Bearer credential.
 */
export function TokenPrompt({ problem }: { problem: UnauthorizedError }): JSX.Element {
  const [value, setValue] = useState('');
  const onSubmit = (e: Event): void => {
    e.preventDefault();
    const token = value.trim();
    if (!token) return;
    saveToken(token);
    credentialsChanged();
  };
  return (
    <section class="token-prompt" role="dialog" aria-labelledby="token-title">
      <form onSubmit={onSubmit}>
        <h2 id="token-title">Read token required</h2>
        <p class="token-why" data-testid="auth-reason">
          {problem.tokenSent
            ? 'The collector refused the read token saved in this browser (401 Unauthorized). Enter the current one.'
            : 'This collector requires a read token for its API and answered 401 Unauthorized. Enter the token it was started with (FAULTLINE_READ_TOKEN).'}
        </p>
        <p class="muted">
          Collector said: <span class="server-message">{problem.message}</span>
        </p>
        <label>
          Read token
          <input
            type="password"
            name="token"
            autoComplete="off"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            autoFocus
          />
        </label>
        <button type="submit" class="primary">
          Use token
        </button>
        <p class="muted small">The token is kept in this browser's local storage and sent only to this collector.</p>
      </form>
    </section>
  );
}
