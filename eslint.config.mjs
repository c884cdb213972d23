import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'http',
  'https',
  'net',
  'tls',
  'dns',
  'child_process',
  'crypto',
  'stream',
  'worker_threads',
  'cluster',
  'process',
  'timers',
  'timers/promises',
  'util',
  'events',
];
const ioPackages = [
  'postgres',
  'drizzle-orm',
  'drizzle-orm/*',
  'nodemailer',
  'express',
  'pino',
  '@temporalio/client',
  '@temporalio/activity',
  '@temporalio/worker',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'drizzle/**', 'bench/results/**', '.data/**', '.tmp*', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The console's browser script is plain ES modules, served as written (no build): linted, not type-checked.
    files: ['src/console/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false } },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins, no wall clock.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .flatMap((m) => [m, `node:${m}`])
            .map((name) => ({ name, message: 'Node built-ins are not allowed in workflow code.' })),
          patterns: [
            { group: ioPackages, message: 'I/O libraries are not allowed in workflow code; call an activity.' },
            {
              group: ['**/activities/*', '**/activities', '!**/activities/types'],
              allowTypeImports: true,
              message: 'Import activities as types only (proxyActivities).',
            },
            {
              group: ['zod', 'date-holidays', '**/domain/calendar/index', '**/domain/ticket/index'],
              allowTypeImports: true,
              message:
                'The sandbox evaluates every import once per workflow: import calendars and tickets through src/domain/{calendar,ticket}/core.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep()/condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop.' },
        { name: 'fetch', message: 'No I/O in workflows.' },
        { name: 'process', message: 'No process access in workflows.' },
      ],
    },
  },
);
