// Writes the browser suite's pass/fail totals to $EMBED_KIT_COUNTS so `npm test` can total every suite.
import { writeFileSync } from 'node:fs';

function count(suite, totals) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites ?? []) count(child, totals);
}

export function countsReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, totals);
        // A file that failed to load, or threw outside a test, is a failure too.
        if (!session.passed && (session.errors?.length ?? 0) > 0) totals.failed += 1;
      }
      const out = process.env.EMBED_KIT_COUNTS;
      if (out) writeFileSync(out, JSON.stringify(totals));
    },
  };
}
