/**
 * The import rules of src/ (`npm run depcruise`, part of `npm test`). See ARCHITECTURE.md.
 *
 * - No import cycle: none at run time anywhere, and none at all (type-only imports included) outside
 *   entity files, whose two-way ORM relations need one side typed by a type-only import.
 * - The lower layers know no module: src/infra/ imports only infra and config; src/graphql/ only
 *   graphql, infra and config. Modules are composed in src/modules.ts.
 * - A `domain/` folder holds pure functions: no ORM, HTTP, GraphQL or database client, and entity
 *   files only for their types.
 * - A module imports only the modules listed for it below (the arrows of the ARCHITECTURE.md diagram),
 *   so the modules form a graph without cycles. A new module adds its line here.
 */

/** Each module and the modules it may import. */
const MODULE_DEPENDENCIES = {
  users: [],
  auth: ['users'],
  calendars: ['users'],
  events: ['users', 'calendars'],
  dav: ['users', 'auth', 'calendars', 'events'],
  milestones: ['users', 'events'],
  live: ['users', 'calendars', 'events'],
  webhooks: ['users', 'events'],
  scheduling: ['users', 'calendars', 'events'],
};

const moduleRules = Object.entries(MODULE_DEPENDENCIES).map(([name, allowed]) => ({
  name: `module-${name}-dependencies`,
  severity: 'error',
  comment: `src/modules/${name} may import only these modules: ${allowed.join(', ') || 'none'} (.dependency-cruiser.cjs)`,
  from: { path: `^src/modules/${name}/` },
  to: { path: '^src/modules/', pathNot: [`^src/modules/${name}/`, ...allowed.map((m) => `^src/modules/${m}/`)] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-runtime-cycle',
      severity: 'error',
      comment: 'An import cycle: break it by moving the shared part down, or by dependency inversion (a hook or a service of the registry).',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycle',
      severity: 'error',
      comment: 'An import cycle through a type-only import: allowed only between entity files (two-way ORM relations).',
      from: { path: '^src/', pathNot: '\\.entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'infra-imports-no-module',
      severity: 'error',
      comment: 'src/infra/ is the lowest layer: it imports only infra and config (modules plug in through src/infra/module.ts).',
      from: { path: '^src/infra/' },
      to: { path: '^src/', pathNot: ['^src/infra/', '^src/config/'] },
    },
    {
      name: 'graphql-imports-no-module',
      severity: 'error',
      comment: 'src/graphql/ imports only graphql, infra and config: resolvers come from the module list.',
      from: { path: '^src/graphql/' },
      to: { path: '^src/', pathNot: ['^src/graphql/', '^src/infra/', '^src/config/'] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/modules/*/domain/ is pure (unit-tested without a database): no ORM, HTTP, GraphQL or database client; entities for their types only.',
      from: { path: '^src/modules/[^/]+/domain/' },
      to: {
        path: ['node_modules/(@mikro-orm|fastify|@fastify|type-graphql|graphql|@apollo|dataloader|pg|knex)/', '\\.(entity|service|repository|routes|resolver)\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    ...moduleRules,
    {
      name: 'module-listed',
      severity: 'error',
      comment: 'A folder of src/modules/ that MODULE_DEPENDENCIES (.dependency-cruiser.cjs) does not list: add it with the modules it may import.',
      from: { path: '^src/modules/', pathNot: Object.keys(MODULE_DEPENDENCIES).map((m) => `^src/modules/${m}/`) },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: an upward `import type` is still an upward dependency.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve package subpath exports (e.g. graphql-ws/use/ws) as Node's require() does.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'] },
    reporterOptions: {
      archi: { collapsePattern: '^src/(modules/[^/]+|[^/]+)' },
    },
  },
};
