import type { ComponentChildren, JSX } from 'preact';
import { navigate } from '../state/router.js';

interface LinkProps {
  /** A path inside the UI, built by the UI itself (never taken from report data). */
  to: string;
  class?: string;
  children?: ComponentChildren;
}

/** An in-app link: a real anchor (open in new tab works) that navigates without a reload on a plain click. */
export function Link({ to, class: className, children }: LinkProps): JSX.Element {
  const onClick = (e: MouseEvent): void => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a class={className} href={to} onClick={onClick}>
      {children}
    </a>
  );
}
