import { startCollectorProcess } from '../support/collector-process.js';
import { describeFailureSuite } from '../support/failure-suite.js';

// A collector process on a random port with a temporary SQLite file.
describeFailureSuite('SQLite', () => startCollectorProcess());
