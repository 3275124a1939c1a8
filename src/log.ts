/**
 * Library logging does not depend on @actions/core: the library emits events to a Logger,
 * and each face (CLI, Action) decides where they go.
 */
export type LogLevel = 'debug' | 'info' | 'warn';

export interface Logger {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};

/** A logger that keeps what it was told, for tests and for reports. */
export class MemoryLogger implements Logger {
  readonly events: { level: LogLevel; message: string }[] = [];
  readonly debug = (message: string): void => void this.events.push({ level: 'debug', message });
  readonly info = (message: string): void => void this.events.push({ level: 'info', message });
  readonly warn = (message: string): void => void this.events.push({ level: 'warn', message });
  messages(level: LogLevel): string[] {
    return this.events.filter((event) => event.level === level).map((event) => event.message);
  }
}
