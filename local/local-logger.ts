/**
 * The logging surface the local runtime pieces need. Powertools' Logger and `console` both satisfy it,
 * so `npm start` can pass its own logger and tests can pass a silent or recording one.
 */
export type LocalLogger = {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
};

/** Default logger: one line per call on stderr, structured keys appended as JSON. */
export const consoleLogger: LocalLogger = {
  info: (message, extra) => console.error(format('INFO', message, extra)),
  warn: (message, extra) => console.error(format('WARN', message, extra)),
  error: (message, extra) => console.error(format('ERROR', message, extra)),
};

/** A logger that drops everything; for tests that provoke failures on purpose. */
export const silentLogger: LocalLogger = { info: () => {}, warn: () => {}, error: () => {} };

function format(level: string, message: string, extra: Record<string, unknown> | undefined): string {
  return extra === undefined ? `${level} ${message}` : `${level} ${message} ${JSON.stringify(extra, errorReplacer)}`;
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
