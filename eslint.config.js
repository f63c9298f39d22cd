// The linter and the formatter in one: typescript-eslint for correctness,
// ESLint Stylistic for layout (`npm run format` fixes it), and import rules
// that hold the architecture: no cycles, and no layer importing one above it.
//
//   pcm, time.ts, printable.ts → tape, audio → session, machine → commands, ui → cli (src/*.tsx)
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import {importX} from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Each layer with the folders above it, which it must never import.
const cliFiles = ['./src/cli.tsx', './src/options.ts', './src/open-machine.tsx', './src/app.tsx', './src/config.ts'];
const layers = [
	{layer: './src/pcm', above: ['./src/tape', './src/audio', './src/session', './src/machine', './src/commands', './src/ui', ...cliFiles]},
	{layer: './src/printable.ts', above: ['./src/pcm', './src/time.ts', './src/tape', './src/audio', './src/session', './src/machine', './src/commands', './src/ui', ...cliFiles]},
	{layer: './src/time.ts', above: ['./src/pcm', './src/tape', './src/audio', './src/session', './src/machine', './src/commands', './src/ui', ...cliFiles]},
	{layer: './src/tape', above: ['./src/audio', './src/session', './src/machine', './src/commands', './src/ui', ...cliFiles]},
	{layer: './src/audio', above: ['./src/tape', './src/session', './src/machine', './src/commands', './src/ui', ...cliFiles]},
	{layer: './src/session', above: ['./src/machine', './src/commands', './src/ui', ...cliFiles]},
	{layer: './src/machine', above: ['./src/audio', './src/session', './src/commands', './src/ui', ...cliFiles]},
	{layer: './src/commands', above: ['./src/ui', ...cliFiles]},
	{layer: './src/ui', above: ['./src/commands', ...cliFiles]},
];

export default tseslint.config(
	{ignores: ['dist/', 'dist.*/', 'node_modules/', '.pulse/', 'coverage/']},
	js.configs.recommended,
	...tseslint.configs.recommended,
	stylistic.configs.customize({indent: 'tab', quotes: 'single', semi: true, jsx: true, braceStyle: '1tbs', arrowParens: false}),
	{
		languageOptions: {
			globals: {...globals.node},
			parserOptions: {ecmaFeatures: {jsx: true}},
		},
		plugins: {'import-x': importX},
		settings: {'import-x/resolver': {typescript: true, node: true}},
		rules: {
			// {a, b}: braces hug their contents. Stylistic's replacement (list-style)
			// would also rewrap every multi-line list; ESLint's own rule checks just this.
			'@stylistic/list-style': 'off',
			'object-curly-spacing': ['error', 'never'],
			'@stylistic/arrow-parens': ['error', 'as-needed'],
			'@stylistic/jsx-tag-spacing': ['error', {beforeSelfClosing: 'never'}],
			'@stylistic/operator-linebreak': 'off',
			'@stylistic/multiline-ternary': 'off',
			'@stylistic/indent-binary-ops': 'off',
			'@stylistic/max-statements-per-line': 'off',
			'@stylistic/jsx-one-expression-per-line': 'off',
			'@stylistic/quote-props': ['error', 'as-needed'],
			'@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
			'@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
			'import-x/no-cycle': 'error',
			'import-x/no-self-import': 'error',
			'import-x/no-restricted-paths': ['error', {
				zones: layers.map(({layer, above}) => ({
					target: layer,
					from: above,
					message: 'imports go one way: pcm → tape/audio → session/machine → commands/ui → cli',
				})),
			}],
			'no-empty': ['error', {allowEmptyCatch: true}],
			eqeqeq: ['error', 'always', {null: 'ignore'}],
		},
		linterOptions: {reportUnusedDisableDirectives: 'error'},
	},
	{
		// Hooks live in the screen only.
		files: ['src/ui/**/*.{ts,tsx}', 'src/*.tsx'],
		plugins: {'react-hooks': reactHooks},
		rules: {
			'react-hooks/rules-of-hooks': 'error',
			'react-hooks/exhaustive-deps': 'error',
		},
	},
	{
		files: ['src/**/*.{ts,tsx}'],
		rules: {
			// A file over 400 lines is asking to be split.
			'max-lines': ['error', {max: 400}],
		},
	},
);
