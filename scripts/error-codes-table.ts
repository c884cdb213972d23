import { readFileSync, writeFileSync } from 'node:fs';
import { errorCodes } from '../src/api/error-codes';

/** Rewrites the README's error-code table from src/api/error-codes.ts (`npm run docs:codes`). */
const rows = Object.entries(errorCodes).sort((a, b) => a[1].status - b[1].status || a[0].localeCompare(b[0]));
const table = ['| status | code | when |', '|---|---|---|', ...rows.map(([code, d]) => `| ${d.status} | \`${code}\` | ${d.means} |`)].join(
  '\n',
);
const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const next = readme.replace(/(<summary>Error codes<\/summary>\n\n)[^]*?(\n\n<\/details>)/, `$1${table}$2`);
writeFileSync(path, next);
