/**
 * Layer rules of instaclone (README "Layout"), checked by `npm run lint` and test/unit/architecture.test.ts.
 * Paths are relative to the repository root. `import type` counts as a dependency everywhere, except for the
 * SDK rule (a type costs nothing at run time and calls nothing).
 */
/** Folders of shared/ that serve every feature. */
const CROSS_CUTTING = 'errors|events|http|config|aws|runtime|observability|vsphere';
/**
 * shared/composition is the adapters factory of every function: a composition root like functions/, free to import
 * anything in shared. Every other folder of shared/ is a feature (captured as $1).
 */
const FEATURE = `((?!(?:${CROSS_CUTTING}|composition)/)[^/]+)`;
const MODEL = `^shared/${FEATURE}/model/`;
const PORTS = `^shared/${FEATURE}/ports/`;
const ZOD = '(^|/)node_modules/zod/';
/** Packages that talk to the world: AWS SDKs, soap, Powertools' DynamoDB/SSM users, jose's remote key sets. */
const SDKS = '(^|/)node_modules/(@aws-sdk/|@smithy/|soap/|jose/|@aws-lambda-powertools/(idempotency|parameters)/)';
/** Network built-ins. node:net is left out: its isIP and BlockList are pure, and sockets come through these. */
const NETWORK = '^(node:)?(http|https|http2|tls|dns|dgram)$';
/** Never deployed: free to use anything. */
const EDGE = '^(local|infra|cli|bench|test|examples|action)/';
const ALLOWED_IO = [`^shared/${FEATURE}/adapters/`, '^shared/aws/', '^shared/vsphere/', EDGE];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo in a subpath import would otherwise hide a dependency).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'model-imports-only-models',
      comment:
        "A feature's model is pure: its own and other features' models, shared/errors, shared/events and zod only.",
      severity: 'error',
      from: { path: MODEL },
      to: { pathNot: [MODEL, '^shared/errors/', '^shared/events/', ZOD] },
    },
    {
      name: 'ports-import-models-and-ports',
      comment:
        'Ports are interfaces over models: models, ports, shared/errors, shared/events and shared/runtime ports.',
      severity: 'error',
      from: { path: PORTS },
      to: {
        pathNot: [MODEL, PORTS, '^shared/errors/', '^shared/events/', '^shared/runtime/', ZOD],
      },
    },
    {
      name: 'use-cases-over-models-and-ports',
      comment:
        'A use case imports models, ports (any feature), its own use cases, shared/errors, shared/events and the ' +
        'types of shared/runtime; never an adapter, an SDK or a concrete clock. node:crypto is allowed for hashes ' +
        "(a request's fingerprint); ids still come from the IdGenerator port.",
      severity: 'error',
      from: { path: `^shared/${FEATURE}/use-cases/` },
      to: {
        pathNot: [
          MODEL,
          PORTS,
          '^shared/$1/use-cases/',
          '^shared/errors/',
          '^shared/events/',
          '^shared/runtime/',
          '^(node:)?crypto$',
        ],
      },
    },
    {
      name: 'use-cases-only-type-runtime',
      comment: 'A use case gets its clock and ids as parameters: only types from shared/runtime.',
      severity: 'error',
      from: { path: `^shared/${FEATURE}/use-cases/` },
      to: { path: '^shared/runtime/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'io-only-in-adapters',
      comment:
        'Only adapters, shared/aws, shared/vsphere (and local, infra, cli, bench, test) import AWS SDKs, soap, ' +
        'Powertools idempotency/parameters or node:http(s)/net/tls/dns.',
      severity: 'error',
      from: { pathNot: ALLOWED_IO },
      to: { path: [SDKS, NETWORK], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'features-meet-through-models-and-ports',
      comment: "A feature uses another feature only through that feature's model and ports (or events).",
      severity: 'error',
      from: { path: `^shared/${FEATURE}/` },
      to: { path: `^shared/${FEATURE}/`, pathNot: ['^shared/$1/', MODEL, PORTS] },
    },
    {
      name: 'api-without-adapters',
      comment: "An api/ folder parses, calls a use case and shapes the answer: no adapters, its own or others'.",
      severity: 'error',
      from: { path: `^shared/${FEATURE}/api/` },
      to: { path: `^shared/${FEATURE}/adapters/` },
    },
    {
      name: 'adapters-implement-ports',
      comment: 'An adapter implements ports; it never calls a use case or an API route.',
      severity: 'error',
      from: { path: `^shared/${FEATURE}/adapters/` },
      to: { path: `^shared/${FEATURE}/(use-cases|api)/` },
    },
    {
      name: 'cross-cutting-below-features',
      comment:
        'Cross-cutting folders (errors, events, http, config, aws, runtime, observability, vsphere) serve the ' +
        'features: they may know their models, nothing else of them.',
      severity: 'error',
      from: { path: `^shared/(${CROSS_CUTTING})/`, pathNot: '^shared/http/openapi\\.ts$' },
      to: { path: `^shared/${FEATURE}/`, pathNot: MODEL },
    },
    {
      name: 'openapi-reads-only-api-schemas',
      comment: "The OpenAPI document assembles every feature's API: their models and api/ schemas, nothing else.",
      severity: 'error',
      from: { path: '^shared/http/openapi\\.ts$' },
      to: { path: `^shared/${FEATURE}/`, pathNot: [MODEL, `^shared/${FEATURE}/api/`] },
    },
    {
      name: 'vsphere-is-a-library',
      comment: 'The vim25 client knows nothing of the service: no other shared folder, no AWS.',
      severity: 'error',
      from: { path: '^shared/vsphere/' },
      to: { path: ['^shared/(?!vsphere/)', '^node_modules/@aws-sdk/'] },
    },
    {
      name: 'deployed-code-stays-deployable',
      comment:
        'shared/ and functions/ never import what is not deployed (local, infra, cli, bench, test, examples, action).',
      severity: 'error',
      from: { path: '^(shared|functions)/' },
      to: { path: EDGE },
    },
    {
      name: 'console-page-imports-little',
      comment:
        "The console's browser code (shared/console/web and view) becomes the page's one script: only Preact, " +
        "oauth4webapi (OIDC sign-in), its own code and the features' models (types and small constants), never an " +
        'SDK, a Node built-in or an adapter.',
      severity: 'error',
      from: { path: '^shared/console/(web|view)/' },
      to: { pathNot: ['^shared/console/(web|view)/', MODEL, '(^|/)node_modules/(preact|oauth4webapi)/'] },
    },
    {
      name: 'console-build-never-deployed',
      comment: 'The console build (esbuild) runs in CDK bundling and npm start only: nothing deployed imports it.',
      severity: 'error',
      from: { path: '^(shared|functions)/', pathNot: '^shared/console/build/' },
      to: { path: ['^shared/console/build/', '(^|/)node_modules/esbuild/'] },
    },
    {
      name: 'functions-are-entry-points',
      comment: 'Nothing deployed imports a function: each is a composition root.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(cdk\\.out|\\.instaclone)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    webpackConfig: { fileName: '.dependency-cruiser.resolve.cjs' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
  },
};
