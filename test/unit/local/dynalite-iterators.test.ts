import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { closeDynaliteIterators } from '#local/emulators/dynalite-iterators';

/** The part of dynalite's store (`dynalite/db`) the test drives: its level database, as dynalite wraps it. */
type LevelIterator = { next(): Promise<unknown> };
type DynaliteStore = {
  db: {
    put(key: string, value: unknown): Promise<void>;
    values(options?: object): LevelIterator;
    createValueStream(options?: object): Readable;
  };
};
const dynaliteDb = createRequire(import.meta.url)('dynalite/db/index.js') as { create(options: object): DynaliteStore };

/** A store whose every value iterator is recorded as dynalite's streams open it. */
const storeWithOpenedIterators = async () => {
  const store = dynaliteDb.create({});
  const opened: LevelIterator[] = [];
  const values = store.db.values.bind(store.db);
  store.db.values = (options) => {
    const iterator = values(options);
    opened.push(iterator);
    return iterator;
  };
  for (const key of ['a', 'b', 'c']) await store.db.put(key, { key });
  return { store, opened };
};

const isClosed = (iterator: LevelIterator) =>
  iterator.next().then(
    () => false,
    (err: { code?: string }) => err.code === 'LEVEL_ITERATOR_NOT_OPEN',
  );

describe('dynalite store iterators', () => {
  it('are closed once a stream is read to its end or destroyed before it', async () => {
    // Prepare
    closeDynaliteIterators();
    const { store, opened } = await storeWithOpenedIterators();
    // Act: one stream read to the end (a Scan), one dropped after its first item (a Query with Limit 1).
    const whole = store.db.createValueStream();
    whole.resume();
    await once(whole, 'close');
    const cut = store.db.createValueStream();
    await once(cut, 'data');
    cut.destroy();
    await once(cut, 'close');
    // Assess
    expect(opened).toHaveLength(2);
    expect(await Promise.all(opened.map(isClosed))).toEqual([true, true]);
  });
});
