// Prints the closing "N passed, N failed" line from vitest's JSON report (plus the check and
// packaging steps) and exits non-zero when anything failed or the report is missing.
import { existsSync, readFileSync } from 'node:fs';

const [file, checkFailed = '0', vitestStatus = '0', packageFailed = '0'] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(file)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load has no tests to count; count the file.
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
} else {
  console.log(`no test report at ${file}: vitest did not finish`);
  failed += 1;
}
if (checkFailed !== '0') {
  console.log('npm run check failed (type errors or lint): counted as one failure');
  failed += 1;
}
if (packageFailed !== '0') {
  console.log('npm run package:server failed: counted as one failure (the package tests were skipped)');
  failed += 1;
}
if (vitestStatus !== '0' && failed === 0) {
  console.log(`vitest exited with ${vitestStatus} although no test failed: counted as one failure`);
  failed += 1;
}
if (passed === 0 && failed === 0) {
  console.log('no test ran: counted as one failure');
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
