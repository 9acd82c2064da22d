// Lint rules, including the house boundaries: src/core never sees vscode or the DOM, src/protocol is
// types only, src/processes (the child processes and their hosts) never sees the editor, and only
// src/extension talks to the VS Code API.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/extension may use the VS Code API.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', '.cache/**', '.test-artifacts/**', 'sample-workspace/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/processes/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [
          { group: ['**/extension/**', '**/webview/**'], message: 'The engine, the child processes and the CLI must not depend on the editor adapter or the webview.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'HTMLElement'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [
          { group: ['**/extension/**', '**/webview/**', '**/processes/**', '**/cli/**'], message: 'src/core is the engine: it depends on nothing above it.' },
        ],
      }],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'FunctionDeclaration', message: 'src/protocol holds types only.' },
        { selector: 'ClassDeclaration', message: 'src/protocol holds types only.' },
        { selector: 'VariableDeclaration', message: 'src/protocol holds types only.' },
      ],
    },
  },
  // The webview apps import only types from src/protocol, and share code only through webview/shared.
  ...[
    { files: ['webview/shared/**/*.ts'], others: ['**/dashboard/**', '**/classify/**', '**/sweep/**', '**/runsTable/**'] },
    { files: ['webview/dashboard/**/*.ts'], others: ['**/classify/**', '**/sweep/**', '**/runsTable/**'] },
    { files: ['webview/classify/**/*.ts'], others: ['**/dashboard/**', '**/sweep/**', '**/runsTable/**'] },
    { files: ['webview/sweep/**/*.ts'], others: ['**/dashboard/**', '**/classify/**', '**/runsTable/**'] },
    { files: ['webview/runsTable/**/*.ts'], others: ['**/dashboard/**', '**/classify/**', '**/sweep/**'] },
  ].map(({ files, others }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noVscode],
        patterns: [
          { group: ['**/src/extension/**', '**/src/core/**', '**/src/processes/**', '**/src/cli/**'], message: 'The webview only imports types from src/protocol.' },
          { group: others, message: 'The webview apps share code only through webview/shared.' },
        ],
      }],
    },
  })),
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
