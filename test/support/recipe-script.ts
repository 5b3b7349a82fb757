import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO = join(import.meta.dirname, '..', '..');

/** The fenced blocks of one language in a Markdown file, in order. */
export const fencedBlocks = (markdown: string, lang: string): string[] =>
  [...markdown.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] ?? '');

/** Helpers every recipe script starts with: `npx instaclone` runs this checkout's CLI, `npm start` is awaited. */
const PRELUDE = String.raw`set -eo pipefail
# Each background job in its own process group, so the exit stops npm start's whole tree (npm, tsx, node). A job the
# recipe killed itself may be gone by then: under set -e that failed kill would end the script with status 1.
set -m
trap 'for p in $(jobs -p); do kill -- "-$p" 2>/dev/null || true; done; wait 2>/dev/null' EXIT
npx() { if [ "$1" = instaclone ]; then shift; node "$REPO/cli/bin.mjs" "$@"; else command npx "$@"; fi; }
export -f npx
wait_for_api() {
  for _ in $(seq 1 900); do
    url=$(grep -oE 'API +http://127\.0\.0\.1:[0-9]+' "$RECIPE_LOG" | grep -oE 'http://.*' || true)
    if [ -n "$url" ]; then echo "$url"; return 0; fi
    sleep 0.1
  done
  cat "$RECIPE_LOG" >&2; return 1
}
`;

/**
 * One bash script that runs a recipe (`examples/<name>/README.md`) as a reader would, in order: every `sh` block,
 * with `npm start` started in the background (its output in `$RECIPE_LOG`, on a free port) and awaited, its API
 * URL put where the recipe says `http://127.0.0.1:8080`, and `.instaclone/` meaning `$INSTACLONE_DATA_DIR`. A `yaml`
 * block with a GitLab job that has its own `script` runs that script, then its `after_script`, in `$CI_PROJECT_DIR` (a
 * user's own `./run-tests.sh` is echoed). `ports` maps the recipe's fixed ports to free ones; `fromHeading` skips
 * what comes before it (set-up for real VMs and Apps).
 */
export const recipeScript = (name: string, ports: Record<string, number>, fromHeading?: string): string => {
  const whole = readFileSync(join(REPO, 'examples', name, 'README.md'), 'utf8');
  const markdown = fromHeading ? whole.slice(whole.indexOf(fromHeading)) : whole;
  const blocks = [...markdown.matchAll(/```(sh|yaml)\n([\s\S]*?)```/g)].map((m) => {
    const [, lang, text = ''] = m;
    return lang === 'sh' ? text : gitlabJobScript(text);
  });
  let script = blocks.join('\n');
  script = script.replace(/^npm start\b.*$/gm, 'npm start > "$RECIPE_LOG" 2>&1 &\nAPI=$(wait_for_api)');
  script = script.replaceAll('http://127.0.0.1:8080', '$API').replaceAll('.instaclone/', '$INSTACLONE_DATA_DIR/');
  for (const [port, free] of Object.entries(ports))
    script = script.replace(new RegExp(`\\b${port}\\b`, 'g'), String(free));
  return `${PRELUDE}\n${script}\n`;
};

/** A GitLab job's `script` then `after_script`, as a runner runs them; '' for any other YAML. */
const gitlabJobScript = (yaml: string): string => {
  const jobs = parse(yaml) as Record<string, { script?: string[]; after_script?: string[]; extends?: string }> | null;
  // A job that extends the component's hidden job is the component's to run (test/integration/ci covers it).
  const job = Object.values(jobs ?? {}).find(
    (j) => j && typeof j === 'object' && Array.isArray(j.script) && !j.extends,
  );
  if (!job) return '';
  const lines = [...(job.script ?? []), ...(job.after_script ?? [])].map((l) =>
    l.replaceAll('./run-tests.sh', 'echo run-tests.sh'),
  );
  return `(\n  cd "$CI_PROJECT_DIR"\n${lines.map((l) => `  ${l}`).join('\n')}\n)`;
};
