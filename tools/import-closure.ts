/**
 * `npm run closure [entry…] [--list]`: the import closure of an entry file (default: the worker handler), the files
 * of this repository it loads and their lines, followed through `#shared/*`-style subpath imports and relative
 * imports. Two figures: what runs (type-only imports left out, as esbuild leaves them out of the bundle) and what a
 * reader meets (type imports too). Packages are named, not followed. `--list` prints every file with its lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const REPO = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SUBPATHS = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).imports as Record<string, string>;

type Edge = { target: string; typeOnly: boolean };

/** The repository file a specifier names, a package name, or undefined for a node builtin. */
const resolveSpecifier = (from: string, specifier: string): { file?: string; pkg?: string } => {
  if (specifier.startsWith('node:')) return {};
  let path: string | undefined;
  if (specifier.startsWith('.')) path = resolve(dirname(from), specifier);
  for (const [pattern, target] of Object.entries(SUBPATHS)) {
    const prefix = pattern.replace('*', '');
    if (specifier.startsWith(prefix)) path = join(REPO, target.replace('*', specifier.slice(prefix.length)));
  }
  if (!path)
    return { pkg: specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0] };
  const base = path.replace(/\.js$/, '');
  const file = [`${base}.ts`, path, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`${relative(REPO, from)}: cannot resolve ${specifier}`);
  return { file };
};

const isTypeOnly = (node: ts.ImportDeclaration | ts.ExportDeclaration): boolean => {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && !!named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly);
};

const edgesOf = (file: string, packages: Set<string>): Edge[] => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const edges: Edge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    const { file: target, pkg } = resolveSpecifier(file, specifier);
    if (target) edges.push({ target, typeOnly });
    else if (pkg && !typeOnly) packages.add(pkg);
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      add((node.moduleSpecifier as ts.StringLiteral).text, isTypeOnly(node));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) add(arg.text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
};

const closure = (entry: string, withTypes: boolean) => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of edgesOf(file, packages)) if (withTypes || !edge.typeOnly) pending.push(edge.target);
  }
  const files = [...seen].sort().map((file) => ({
    file: relative(REPO, file),
    lines: readFileSync(file, 'utf8').split('\n').length - 1,
  }));
  return { files, lines: files.reduce((sum, f) => sum + f.lines, 0), packages: [...packages].sort() };
};

const args = process.argv.slice(2);
const list = args.includes('--list');
const entries = args.filter((a) => !a.startsWith('--'));
for (const entry of entries.length > 0 ? entries : ['functions/clone-worker/handler.ts']) {
  const runtime = closure(resolve(REPO, entry), false);
  const all = closure(resolve(REPO, entry), true);
  if (list)
    for (const { file, lines } of all.files) {
      const mark = runtime.files.some((f) => f.file === file) ? ' ' : 't';
      process.stdout.write(`${mark} ${String(lines).padStart(5)}  ${file}\n`);
    }
  process.stdout.write(
    `${entry}: runs ${runtime.files.length} files, ${runtime.lines} lines; with type imports ${all.files.length} files, ${all.lines} lines; packages: ${runtime.packages.join(' ')}\n`,
  );
}
