import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** The service name, on every line. */
  service: string;
  level?: string;
  /** Pretty output; defaults to true only when stdout is a terminal. */
  pretty?: boolean;
  /** A destination stream (tests capture log lines with it). */
  destination?: pino.DestinationStream;
}

/** Paths that must never reach a log line, whatever object is logged. */
export const redactedPaths = [
  'password',
  '*.password',
  'req.body.password',
  'body.password',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'token',
  '*.token',
];

/** The pino JSON logger every service uses; pretty only in a terminal. */
export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { service: options.service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.destination) return pino(base, options.destination);
  const pretty = options.pretty ?? Boolean(process.stdout.isTTY);
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } } });
  }
  return pino(base);
}
