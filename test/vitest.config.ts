import { project } from '../vitest.shared.js';

export default project('e2e', { include: ['**/*.test.ts'], exclude: ['**/node_modules/**', '**/fixtures/**'] });
