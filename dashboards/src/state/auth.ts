import { useEffect, useState } from 'preact/hooks';
import type { UnauthorizedError } from '../errors.js';

/**
 * What the UI knows about the read token: `generation` grows each time a token is entered or forgotten,
 * so every data hook refetches; `problem` holds the last 401 until the user enters a token.
 */
export interface AuthState {
  generation: number;
  problem?: UnauthorizedError;
}

let state: AuthState = { generation: 0 };
const listeners = new Set<(s: AuthState) => void>();

function publish(next: AuthState): void {
  state = next;
  for (const l of listeners) l(state);
}

export function reportUnauthorized(err: UnauthorizedError): void {
  if (state.problem) return;
  publish({ ...state, problem: err });
}

/** After a token was entered or forgotten: clear the problem and refetch everything. */
export function credentialsChanged(): void {
  publish({ generation: state.generation + 1 });
}

export function useAuth(): AuthState {
  const [s, setS] = useState(state);
  useEffect(() => {
    listeners.add(setS);
    setS(state);
    return () => {
      listeners.delete(setS);
    };
  }, []);
  return s;
}
