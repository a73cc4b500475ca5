import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.tools/', 'dist/', '.bench-build/', 'node_modules/', 'coverage/', 'renderer/dist/', 'test-results/', 'bench/results/', 'release/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // All SQL lives in main/state/, behind one small API per table. Tests may look at the tables.
    files: ['main/**', 'shared/**', 'bench/**', 'tools/**'],
    ignores: ['main/state/**'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name=/^(prepare|pragma|transaction)$/]", message: 'SQL belongs in main/state/: add a function to the table\'s module there.' },
        { selector: "CallExpression[callee.property.name='exec'][arguments.0.type=/^(Literal|TemplateLiteral)$/]:not([callee.object.regex])", message: 'SQL belongs in main/state/: add a function to the table\'s module there.' },
      ],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['better-sqlite3'], message: 'The database is opened and queried in main/state/ only.' },
          { group: ['**/state/open.js', '**/state/migrations.js', '**/state/write.js'], message: 'Use the state API (main/state/index.js), not the connection.' },
        ],
      }],
    },
  },
);
