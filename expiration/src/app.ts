import { createHttpApp, type Logger } from '@gittix/common';
import type { Express } from 'express';

export interface AppDeps {
  logger: Logger;
  /** Redis and the event bus connected. */
  isReady: () => boolean;
  /** False once the bus has been gone too long to wait for (a restart is the better bet). */
  isAlive?: () => boolean;
}

/** Expiration has no API: only the shared /healthz and /readyz, so the cluster can probe it. */
export function createApp({ logger, isReady, isAlive }: AppDeps): Express {
  return createHttpApp({ logger, isReady, isAlive });
}
