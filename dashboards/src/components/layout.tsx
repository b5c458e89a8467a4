import type { ComponentChildren, JSX } from 'preact';
import { currentToken, forgetToken } from '../api/token.js';
import { credentialsChanged, useAuth } from '../state/auth.js';
import { Link } from './link.js';

export function Layout({ path, children }: { path: string; children: ComponentChildren }): JSX.Element {
  useAuth(); // re-render when a token is entered or forgotten
  const hasToken = currentToken() !== undefined;
  const onForget = (): void => {
    forgetToken();
    credentialsChanged();
  };
  return (
    <div class="app">
      <header class="topbar">
        <Link to="/" class="brand">
          faultline
        </Link>
        <nav>
          <Link to="/" class={path === '/' ? 'active' : ''}>
            Overview
          </Link>
          <Link to="/issues" class={path.startsWith('/issues') ? 'active' : ''}>
            Issues
          </Link>
        </nav>
        <span class="spacer" />
        {hasToken ? (
          <button type="button" class="link-button" onClick={onForget}>
            Forget token
          </button>
        ) : null}
      </header>
      <main>{children}</main>
    </div>
  );
}
