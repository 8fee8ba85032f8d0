// Lint enforces the house rules of ARCHITECTURE.md where a rule can: which folder may import what.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'test-results/**', 'playwright-report/**', 'hq/node_modules/**', 'hq/dist/**', 'hq-data/**', 'hq/hq-data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/electron/ imports electron.' }] }],
    },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/**', 'src-renderer/**'],
    ignores: ['src-main/store/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'better-sqlite3', message: 'Only src-main/store/ runs SQL.' },
          ...(['serialport', 'node-hid', 'usb'].map((name) => ({ name, message: 'Only drivers/ open ports.' }))),
        ],
      }],
    },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'better-sqlite3', message: 'Only src-main/store/ runs SQL.' }] }] },
  },
  {
    files: ['src-main/domain/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^(?!\\.\\/|\\.\\.\\/contract|\\.\\.\\/domain)', message: 'domain/ imports only domain/ and contract/.' },
          { regex: '^\\.\\.\\/(?!contract|domain)', message: 'domain/ imports only domain/ and contract/.' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain/ reads no clock: pass the time in.' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ reads no clock: pass the time in.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'domain/ uses no randomness: pass it in.' },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: 'src-main\\/(?!contract)', message: 'The renderer imports nothing from src-main/ but contract/.' }],
        paths: [{ name: 'electron', message: 'The renderer talks only through window.pos.' }],
      }],
    },
  },
  {
    files: ['drivers/**', 'scripts/**', 'test/**', 'bin/**', 'hq/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
