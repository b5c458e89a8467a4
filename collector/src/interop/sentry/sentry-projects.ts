import { LIMITS } from '@faultline/sdk/schema';
import { CollectorConfigError } from '../../errors.js';

const ENTRY = /^(\d+)\s*=(.+)$/;

/**
 * The service name of each Sentry project id, from the `sentryProjects` option (`42=checkout`). A project that is
 * not listed is the service `sentry-project-<id>`: a Sentry project is what faultline calls a service.
 */
export function sentryServiceNames(entries: readonly string[]): (projectId: string) => string {
  const names = new Map<string, string>();
  for (const entry of entries) {
    const match = ENTRY.exec(entry.trim());
    const name = match?.[2]?.trim();
    if (match === null || name === undefined || name === '' || name.length > LIMITS.serviceFieldChars) {
      throw new CollectorConfigError(
        'FAULTLINE_INVALID_OPTION',
        `Expected \`sentryProjects\` entries as <projectId>=<service> (a number, then a name of 1 to ${LIMITS.serviceFieldChars} characters; entries are separated by commas, so a name holds none), got ${JSON.stringify(entry)}`,
      );
    }
    names.set(canonical(match[1]!), name);
  }
  return (projectId) => names.get(canonical(projectId)) ?? `sentry-project-${canonical(projectId)}`;
}

function canonical(projectId: string): string {
  return projectId.replace(/^0+(?=\d)/, '');
}
