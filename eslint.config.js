// ESLint (flat config), run by `npm run lint` and .ci/run. typescript-eslint's type-aware
// recommended rules, React's hooks rules, and r3f's frame-loop rules. Where a rule is wrong for
// this codebase it is turned off here, with the reason, never per line.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import r3f from '@react-three/eslint-plugin';

const sources = ['**/*.ts', '**/*.tsx'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.artifacts/', '.scratch/', '.scratch-relay/', 'eslint.config.js'] },
  {
    files: sources,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks, '@react-three': r3f },
    rules: {
      ...reactHooks.configs['recommended-latest'].rules,
      ...r3f.configs.recommended.rules,
      // r3f's plugin has no rule for setState in the frame loop (STYLE.md: never setState per frame).
      'no-restricted-syntax': [
        'error',
        {
          // r3f's setDpr is exempt: AdaptiveQuality calls it on a quality step (seconds apart), not per frame.
          selector: "CallExpression[callee.name='useFrame'] CallExpression[callee.name=/^set(?!Dpr)[A-Z]/]",
          message: 'No React setState in useFrame: read the store with getState() and write refs or uniforms.',
        },
        {
          selector: "CallExpression[callee.name='useFrame'] CallExpression[callee.property.name='setState']",
          message: 'No store setState in useFrame: a store change per frame re-renders its subscribers.',
        },
      ],
      // `_`-prefixed names are the codebase's way to say "deliberately unused" (callback arity).
      // An async function without await still turns a throw into a rejection: the API's promise-returning methods rely on it.
      '@typescript-eslint/require-await': 'off',
      // Interfaces here give closures method syntax; the factories return object literals that never use `this`.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/scene/**/*.tsx'],
    rules: {
      // r3f's way is to mutate three objects (meshes, uniforms, the renderer) from hooks in useFrame.
      'react-hooks/immutability': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/model/zod.ts'],
    rules: {
      // A schema made before z.config({jitless: true}) probes `new Function`: the page's CSP forbids eval.
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{ name: 'zod', message: 'import { z } from src/model/zod.ts (configured before any schema is made)', allowTypeImports: true }] }],
    },
  },
  {
    // Classes live here (the mapping engine, the symphony's parts): a method passed on loses `this`.
    files: ['src/inputs/**/*.{ts,tsx}', 'src/audio/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'error' },
  },
  {
    files: ['src/audio/**/*.ts'],
    rules: {
      // The symphony's parts take their options as Tone's own instruments do,
      // optionsFromArguments(defaults, arguments): Tone's types accept only `arguments` there.
      'prefer-rest-params': 'off',
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // Tests read JSON.parse and page.evaluate results whose shape is exactly what they assert.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['tests/browser/**/*.ts'],
    rules: {
      // waitForFunction takes a predicate built from test-written text; it runs in the page under test.
      '@typescript-eslint/no-implied-eval': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'scripts/**/*.{ts,tsx}'],
    rules: {
      // A function longer than a screen is hard to read; tests are lists of cases and may be long.
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
);
