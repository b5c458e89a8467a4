import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

/** Shared project settings: resolve workspace packages to their TypeScript sources (the `source` export condition). */
export function project(name: string, extra: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      environment: 'node',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      ...extra,
    },
  });
}
