// A node:test reporter (`--test-reporter=./test/support/node-test-counts-reporter.mjs`) that writes
// the run's totals as JSON to its destination so `npm test` can total every suite without reading
// the spec reporter's text: `{ passed, failed, skipped, files, failures }`, where `files` holds the
// same counts per test file and `failures` names each failing test (`{ file, name }`). It counts
// what the spec reporter's summary counts: every test and subtest, never a describe() suite. A
// cancelled test counts as failed, and so does a file that fails outside any test (node:test
// reports it as a failing test named by path).
// Plain JavaScript: Node 20 loads reporters before `--import tsx` applies.

export default async function* countsReporter(source) {
  const totals = { passed: 0, failed: 0, skipped: 0, files: {}, failures: [] };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.details?.type === 'suite') continue;
    const file = data.file ?? '';
    const perFile = (totals.files[file] ??= { passed: 0, failed: 0, skipped: 0 });
    const kind = data.skip !== undefined || data.todo !== undefined ? 'skipped' : event.type === 'test:pass' ? 'passed' : 'failed';
    totals[kind] += 1;
    perFile[kind] += 1;
    if (kind === 'failed') totals.failures.push({ file, name: data.name });
  }
  yield JSON.stringify(totals);
}
