// Prints the one plain closing line CI reads to count what ran ("tests: N passed, N failed,
// N skipped"): vitest's own summary ("Tests  847 passed (847)") is not a line CI recognises, so a
// green run was reported as having executed no test. Reads the JSON reports of the suites run.
import { readFileSync } from 'node:fs';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: tsx scripts/test-summary.ts REPORT.json [REPORT.json …]');
  process.exit(2);
}
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
