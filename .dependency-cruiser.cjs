/**
 * The dependency rule of ARCHITECTURE.md: the study core imports only itself and
 * a few small pure libraries. `npm run deps:check` (part of `npm test`) fails on a
 * violation; test/tooling/dependency-rule.test.ts proves that it does.
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'src/core may import only src/core, zod, ts-fsrs and croner: no SDK, no I/O, no adapter, no store.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        pathNot: ['^src/core/', '(^|/)node_modules/(zod|ts-fsrs|croner)/'],
      },
    },
    {
      name: 'core-no-node-builtins',
      comment: 'src/core does no I/O: node built-ins are out.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'adapters-stay-apart',
      comment: 'An adapter imports the core, never another adapter.',
      severity: 'error',
      from: { path: '^adapters/([^/]+)/' },
      to: { path: '^adapters/', pathNot: '^adapters/$1/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
