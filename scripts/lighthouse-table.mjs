// Summarises the Lighthouse JSON reports in a folder (`<route>.<run>.json`, written by
// scripts/lighthouse.sh) as a Markdown table: per route, the median of each figure over the
// runs, with the spread (lowest–highest) where runs differ.
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = process.argv[2];
const byRoute = new Map();
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const route = new URL(report.finalDisplayedUrl ?? report.requestedUrl).pathname;
  const audit = (id) => report.audits[id]?.numericValue;
  const row = {
    performance: Math.round(report.categories.performance.score * 100),
    accessibility: Math.round(report.categories.accessibility.score * 100),
    fcp: audit('first-contentful-paint') / 1000,
    lcp: audit('largest-contentful-paint') / 1000,
    tbt: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift'),
    kib: audit('total-byte-weight') / 1024,
    requests: report.audits['network-requests']?.details?.items?.length,
  };
  if (!byRoute.has(route)) byRoute.set(route, []);
  byRoute.get(route).push(row);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const columns = [
  ['performance', 'Perf', 0], ['accessibility', 'A11y', 0], ['fcp', 'FCP s', 2], ['lcp', 'LCP s', 2],
  ['tbt', 'TBT ms', 0], ['cls', 'CLS', 3], ['kib', 'KiB', 1], ['requests', 'Requests', 0],
];
const cell = (rows, key, digits) => {
  const xs = rows.map((r) => r[key]).filter((x) => typeof x === 'number');
  if (!xs.length) return '–';
  const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
  const m = median(xs).toFixed(digits);
  return lo.toFixed(digits) === hi.toFixed(digits) ? m : `${m} (${lo.toFixed(digits)}–${hi.toFixed(digits)})`;
};
console.log(`| Route | Runs | ${columns.map((c) => c[1]).join(' | ')} |`);
console.log(`|---|---|${columns.map(() => '---').join('|')}|`);
for (const [route, rows] of byRoute) {
  console.log(`| ${route} | ${rows.length} | ${columns.map(([key, , digits]) => cell(rows, key, digits)).join(' | ')} |`);
}
