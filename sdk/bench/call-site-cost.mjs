// What one spawn-site capture costs on a given Node, outside any group: `new Error()` under a stack trace
// limit of 2 (what `go` does), the same with its stack formatted, and Node 22's `util.getCallSites(2)` where
// it exists. Not part of `npm run bench` (no baseline to hold it to); run it by hand with any Node binary:
//   node sdk/bench/call-site-cost.mjs
import util from 'node:util';

const N = 200_000;
const kept = new Array(N);

function newError() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  const e = new Error();
  Error.stackTraceLimit = limit;
  return e;
}
const formatted = () => newError().stack;
const callSites = () => util.getCallSites(2);
const nothing = () => null;

// One optimised caller for every variant, as a user's function calling `go` would be.
function caller(capture, i) {
  kept[i] = capture();
}

function nsPerCall(capture) {
  for (let r = 0; r < 3; r++) for (let i = 0; i < N; i++) caller(capture, i);
  const start = process.hrtime.bigint();
  for (let r = 0; r < 5; r++) for (let i = 0; i < N; i++) caller(capture, i);
  return Number(process.hrtime.bigint() - start) / (5 * N);
}

const cases = [
  ['nothing', nothing],
  ['new Error(), limit 2', newError],
  ['new Error(), limit 2, .stack read', formatted],
  ...(typeof util.getCallSites === 'function' ? [['util.getCallSites(2)', callSites]] : []),
];
console.log(`Node ${process.version}, ${N} calls per round, best of 3 rounds`);
for (const [name, capture] of cases) {
  const best = Math.min(nsPerCall(capture), nsPerCall(capture), nsPerCall(capture));
  console.log(`${name.padEnd(36)} ${best.toFixed(0).padStart(6)} ns/call`);
}
