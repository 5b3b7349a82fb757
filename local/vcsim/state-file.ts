import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as z from 'zod';
import { Inventory } from './inventory.js';
import { reidentifyLater } from './methods/instant-clone.js';
import type { EntityRecord } from './model.js';
import type { SimState } from './state.js';

/** After a change, the file is rewritten this much later (changes meanwhile are written together). */
const SAVE_DELAY_MS = 100;

const counter = z.number().int().nonnegative();

/**
 * The state file: every inventory entity as the simulator keeps it (VMs with extraConfig, power state, MACs and
 * devices; folders; the rest of the inventory) and the allocators' positions, including the last task number, so a
 * restarted simulator hands out no moref, task, MAC or guest IP twice. Sessions and tasks are not kept.
 */
const StateFileSchema = z.object({
  version: z.literal(1),
  counters: z.object({ id: counter, mac: counter, ip: counter, task: counter }),
  entities: z.array(z.looseObject({ type: z.string(), moref: z.string(), name: z.string() })),
});

/** A world read from a state file. */
export interface SavedWorld {
  inventory: Inventory;
  /** The last `task-N` number handed out. */
  taskCounter: number;
}

/**
 * Reads the world saved in `path`; `undefined` when there is no such file (a new world).
 * @throws Error naming the file when it cannot be read or is not a version-1 simulator state file.
 */
export async function readStateFile(path: string): Promise<SavedWorld | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`vcsim: cannot read state file ${path}: ${(err as Error).message}`);
  }
  let parsed: z.infer<typeof StateFileSchema>;
  try {
    parsed = StateFileSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new Error(`vcsim: ${path} is not a simulator state file (version 1): ${(err as Error).message}`);
  }
  const entities = parsed.entities as unknown as EntityRecord[];
  for (const entity of entities) {
    if (entity.type !== 'VirtualMachine') continue;
    // Dates come back as strings; the tasks a VM listed died with the previous run.
    if (entity.bootTime !== undefined) entity.bootTime = new Date(entity.bootTime);
    entity.recentTasks = [];
  }
  const { task, ...counters } = parsed.counters;
  return { inventory: Inventory.restore(entities, counters), taskCounter: task };
}

/** Clones of a loaded world that had not re-identified their guest yet do so `guestIpDelayMs` from now. */
export function resumeWorld(state: SimState): void {
  for (const vm of state.inventory.vms()) if (vm.staleGuest) reidentifyLater(state, vm);
}

/** Keeps a state file up to date; `close` stops watching and writes the last state. */
export interface StateFileKeeper {
  close(): Promise<void>;
}

/**
 * Writes the state to `path` now and again `SAVE_DELAY_MS` after each change, each time whole and atomically (a
 * temporary file renamed over the old one), so a crash leaves the previous or the new state, never half of one.
 * @throws (from the returned promise) when the first write fails, e.g. the folder is not writable.
 */
export async function keepStateFile(path: string, state: SimState): Promise<StateFileKeeper> {
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();
  const save = (): Promise<void> => {
    timer = undefined;
    writing = writing
      .then(() => writeAtomically(path, serialise(state)))
      .catch((err: unknown) => {
        process.stderr.write(`vcsim: cannot write state file ${path}: ${String(err)}\n`);
      });
    return writing;
  };
  await mkdir(dirname(path), { recursive: true });
  await writeAtomically(path, serialise(state));
  const unsubscribe = state.inventory.onChange(() => {
    timer ??= setTimeout(save, SAVE_DELAY_MS);
  });
  return {
    close: async () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      await save();
    },
  };
}

function serialise(state: SimState): string {
  const file: Omit<z.input<typeof StateFileSchema>, 'entities'> & { entities: EntityRecord[] } = {
    version: 1,
    counters: { ...state.inventory.counters, task: state.tasks.lastKey },
    entities: [...state.inventory.entities.values()],
  };
  return JSON.stringify(file);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}
