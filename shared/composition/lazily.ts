import { ConfigError } from '../errors/app-error.js';

/** How to build each member of `T`, given the whole object it ends up in (so one member can use another). */
export type Builders<T, Self = T> = { [K in keyof T]: (self: Self) => T[K] };

/**
 * An object whose members are built on first read and then kept: a function's handler builds only the clients and
 * adapters it touches, once per container (cold start), and shares them across invocations. A builder that throws
 * (a missing setting) throws on every read, naming what is missing.
 */
export const lazily = <T extends object>(builders: Builders<T>): T => {
  const self = {} as T;
  for (const key of Object.keys(builders) as (keyof T)[]) {
    let built: { value: T[typeof key] } | undefined;
    Object.defineProperty(self, key, {
      enumerable: true,
      get: () => {
        built ??= { value: builders[key](self) };
        return built.value;
      },
    });
  }
  return self;
};

/**
 * `base` with some members replaced or added, without building any of base's members (a spread would build them
 * all). For a local stack that wants one function to see a different setting.
 */
export const withMembers = <T extends object, E extends object>(base: T, extra: E): Omit<T, keyof E> & E =>
  Object.create(
    base,
    Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, { value, enumerable: true }])),
  ) as Omit<T, keyof E> & E;

/** A setting the member being built cannot do without: a wiring mistake when absent, so it fails loudly. */
export const required = <T>(value: T | undefined, key: string): T => {
  if (value === undefined || value === '') throw new ConfigError(`Invalid configuration: ${key} is required`);
  return value;
};
