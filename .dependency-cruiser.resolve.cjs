// Resolution only (dependency-cruiser reads it as a webpack config): `#shared/x` maps to `./shared/x.js` through
// package.json "imports", and the file on disk is `x.ts`, which tsc, tsx and esbuild find on their own.
module.exports = { resolve: { extensionAlias: { '.js': ['.ts', '.js'] } } };
