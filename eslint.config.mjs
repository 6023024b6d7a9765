// Flat config shared by every package: typescript-eslint's recommended rules plus a few that
// guard the standards of this project (no floating promises: a lost promise is a lost event).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** What a domain rule may not import: it stays pure, so it can be tested and reused anywhere. */
const INFRASTRUCTURE = [
  'mongoose',
  'mongodb',
  'kafkajs',
  'express',
  'pino',
  '@recycling/messaging',
  '@recycling/service-kit',
  '@recycling/store',
  '@recycling/observability',
];
const LAYER_MESSAGES = {
  domain: 'domain/ holds pure rules: no store, broker, HTTP, logging or node I/O (docs/conventions.md).',
  app: 'app/ and events/ reach the store through store/ repositories, never models or mongoose (docs/conventions.md).',
  appHttp:
    'app/ and events/ know nothing of HTTP: throw a DomainError, the kit maps it (docs/conventions.md).',
  http: 'http/ declares endpoints and calls use cases: no models, no store (docs/conventions.md).',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.cache/**',
      '**/.data/**',
      '**/.artifacts/**',
      'services/portal/web/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // The layers of a service (docs/conventions.md, "Inside a service"): rules know nothing of
  // infrastructure, use cases reach the store only through repositories, HTTP never touches models.
  {
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: INFRASTRUCTURE.map((name) => ({ name, message: LAYER_MESSAGES.domain })),
          patterns: [
            {
              // Hashing is pure; files, sockets and processes are not.
              group: ['node:*', '!node:crypto', ...INFRASTRUCTURE.map((n) => `${n}/*`)],
              message: LAYER_MESSAGES.domain,
            },
            { group: ['../app/*', '../http/*', '../events/*', '../store/*'], message: LAYER_MESSAGES.domain },
          ],
        },
      ],
    },
  },
  {
    files: ['services/*/src/app/**/*.ts', 'services/*/src/events/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'mongoose', message: LAYER_MESSAGES.app, allowTypeImports: true },
            { name: '@recycling/service-kit', message: LAYER_MESSAGES.appHttp, allowTypeImports: true },
            { name: 'express', message: LAYER_MESSAGES.appHttp },
          ],
          patterns: [
            {
              group: ['../store/models', '**/store/models'],
              message: LAYER_MESSAGES.app,
              allowTypeImports: true,
            },
            { group: ['../http/*'], message: LAYER_MESSAGES.appHttp },
          ],
        },
      ],
    },
  },
  {
    files: ['services/*/src/http/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'mongoose', message: LAYER_MESSAGES.http },
            { name: '@recycling/store', message: LAYER_MESSAGES.http },
            { name: 'kafkajs', message: LAYER_MESSAGES.http },
          ],
          patterns: [
            { group: ['../store/*', '**/store/*'], message: LAYER_MESSAGES.http, allowTypeImports: true },
          ],
        },
      ],
    },
  },
  prettier,
);
