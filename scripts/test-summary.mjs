// Totals every runner's results into the one closing line CI reads: "N passed, N failed[, N skipped]".
// Build, typecheck and lint count as one check each. Exits non-zero if anything failed or a runner
// produced no report (a runner that crashed must not look green).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;

for (const file of readdirSync(dir).filter((f) => f.startsWith('step-')).sort()) {
  const ok = readFileSync(join(dir, file), 'utf8').trim() === 'pass';
  if (ok) passed++;
  else {
    failed++;
    console.log(`FAILED: ${file.slice(5)}`);
  }
}

const vitestFile = join(dir, 'vitest.json');
if (existsSync(vitestFile)) {
  const report = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).every((t) => t.status !== 'failed')) {
      failed++;
      console.log(`FAILED (file did not run): ${suite.name}`);
    }
  }
} else {
  failed++;
  console.log('FAILED: vitest produced no report');
}

const playwrightFile = join(dir, 'playwright.json');
if (existsSync(playwrightFile)) {
  const report = JSON.parse(readFileSync(playwrightFile, 'utf8'));
  const stats = report.stats ?? {};
  passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  failed += stats.unexpected ?? 0;
  skipped += stats.skipped ?? 0;
  for (const error of report.errors ?? []) {
    failed++;
    console.log(`FAILED (playwright): ${String(error.message ?? error).split('\n')[0]}`);
  }
} else {
  failed++;
  console.log('FAILED: playwright produced no report');
}

console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
