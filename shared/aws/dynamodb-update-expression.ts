/**
 * Builds `SET a = :a, … REMOVE b, …` (either clause left out when it has nothing) with a placeholder for every attribute name (DynamoDB's reserved words are
 * many: `status`, `name`, …). `extraSets` are clauses written by the caller with its own placeholders, such as a
 * version bump. Merge the returned names and values with the condition's own.
 */
export const updateExpression = (sets: Record<string, unknown>, removes: string[] = [], extraSets: string[] = []) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const setClauses = Object.entries(sets).map(([field, value], i) => {
    names[`#s${i}`] = field;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const removeClauses = removes.map((field, i) => {
    names[`#r${i}`] = field;
    return `#r${i}`;
  });
  const set = [...setClauses, ...extraSets];
  const clauses = [
    ...(set.length > 0 ? [`SET ${set.join(', ')}`] : []),
    ...(removeClauses.length > 0 ? [`REMOVE ${removeClauses.join(', ')}`] : []),
  ];
  return { expression: clauses.join(' '), names, values };
};
