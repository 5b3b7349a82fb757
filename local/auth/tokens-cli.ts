import { join, resolve } from 'node:path';
import { hashToken, newTokenValue, readTokenFile, TokenNameSchema, writeTokenFile } from './named-token-file.js';

const USAGE = `usage: npm run tokens -- add <name> | list | remove <name>

Named bearer tokens for npm start, kept hashed in <data dir>/tokens.json (INSTACLONE_DATA_DIR, default .instaclone).
A token acts as the principal token:<name>; the policy (INSTACLONE_POLICY_FILE) says what it may do. "add" prints the
token once: it cannot be shown again. npm start notices changes without a restart.`;

/** `npm run tokens`: adds, lists and removes named local bearer tokens. Exit codes: 0 ok, 2 usage. */
const main = async (args: string[]): Promise<number> => {
  const path = join(resolve(process.env.INSTACLONE_DATA_DIR ?? '.instaclone'), 'tokens.json');
  const [command, name, ...rest] = args;
  const file = await readTokenFile(path);
  if (command === 'list' && name === undefined) {
    for (const token of file.tokens) console.log(`token:${token.name}\tcreated ${token.createdAt}`);
    return 0;
  }
  const parsedName = TokenNameSchema.safeParse(name);
  if ((command !== 'add' && command !== 'remove') || !parsedName.success || rest.length > 0) {
    console.error(parsedName.success || name === undefined ? USAGE : parsedName.error.issues[0]?.message);
    return 2;
  }
  const others = file.tokens.filter((t) => t.name !== parsedName.data);
  if (command === 'remove') {
    await writeTokenFile(path, { ...file, tokens: others });
    console.error(others.length < file.tokens.length ? `removed token:${parsedName.data}` : 'no such token');
    return 0;
  }
  const value = newTokenValue();
  const entry = { name: parsedName.data, sha256: hashToken(value), createdAt: new Date().toISOString() };
  await writeTokenFile(path, { ...file, tokens: [...others, entry] });
  console.error(`token:${parsedName.data} (kept hashed in ${path}; shown only now):`);
  console.log(value);
  return 0;
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
