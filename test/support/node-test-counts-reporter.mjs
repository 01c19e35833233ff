// A node:test reporter (`--test-reporter=./test/support/node-test-counts-reporter.mjs`) that writes
// the run's totals as JSON, `{ passed, failed, skipped }`, to its destination so `npm test` can total
// every suite without reading the spec reporter's text. It counts what the spec reporter's summary
// counts: every test and subtest, never a describe() suite. A cancelled test counts as failed, and
// so does a file that fails outside any test (node:test reports it as a failing test named by path).
// Plain JavaScript: Node 20 loads reporters before `--import tsx` applies.

export default async function* countsReporter(source) {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    if (data.skip !== undefined || data.todo !== undefined) totals.skipped += 1;
    else if (event.type === 'test:pass') totals.passed += 1;
    else totals.failed += 1;
  }
  yield JSON.stringify(totals);
}
