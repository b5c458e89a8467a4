import type { JSX } from 'preact';
import { Layout } from './components/layout.js';
import { Link } from './components/link.js';
import { TokenPrompt } from './components/token-prompt.js';
import { IssuePage } from './pages/issue-page.js';
import { IssuesPage } from './pages/issues-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { useAuth } from './state/auth.js';
import { useLocation } from './state/router.js';

function route(path: string, query: URLSearchParams): JSX.Element {
  if (path === '/' || path === '') return <OverviewPage query={query} />;
  if (path === '/issues' || path === '/issues/') return <IssuesPage query={query} />;
  const m = /^\/issues\/([^/]+)\/?$/.exec(path);
  if (m?.[1]) {
    const id = decodeURIComponent(m[1]);
    return <IssuePage key={id} id={id} query={query} />;
  }
  return (
    <div class="page">
      <h1>Not found</h1>
      <p>
        Nothing lives at this address. <Link to="/">Go to the overview</Link>
      </p>
    </div>
  );
}

/** The whole UI: the read-token prompt when the API said 401, else the page the path names. */
export function App(): JSX.Element {
  const { path, query } = useLocation();
  const auth = useAuth();
  return <Layout path={path}>{auth.problem ? <TokenPrompt problem={auth.problem} /> : route(path, query)}</Layout>;
}
