/** What the console shows of `GET /v1/status`: each figure as a line, and the dead-letter depth when it has one. */
export type StatusSummary = { facts: { name: string; value: string }[]; deadLetterDepth?: number };

const flatten = (value: unknown, path: string, out: { name: string; value: unknown }[]): void => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, path ? `${path}.${key}` : key, out);
  } else {
    out.push({ name: path, value });
  }
};

/**
 * Reads `GET /v1/status` without knowing its exact shape (it comes from other work, design §13): every leaf becomes
 * a `name: value` fact, and the DLQ depth is the number whose name speaks of a dead-letter queue (`dlq`,
 * `deadLetter`), preferring one that also says depth, messages or count.
 */
export const summarizeStatus = (status: unknown): StatusSummary => {
  const leaves: { name: string; value: unknown }[] = [];
  flatten(status, '', leaves);
  const facts = leaves
    .filter((leaf) => leaf.name !== 'version')
    .map((leaf) => ({
      name: leaf.name,
      value: typeof leaf.value === 'string' ? leaf.value : JSON.stringify(leaf.value),
    }));
  const ofDlq = leaves.filter((leaf) => typeof leaf.value === 'number' && /dlq|dead.?letter/i.test(leaf.name));
  const dlq = ofDlq.find((leaf) => /depth|messages|visible|count/i.test(leaf.name)) ?? ofDlq[0];
  return { facts, ...(dlq && { deadLetterDepth: dlq.value as number }) };
};
