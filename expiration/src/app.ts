import { createHttpApp, type Logger } from '@gittix/common';
import type { Express } from 'express';

export interface AppDeps {
  logger: Logger;
  /** Redis and the event bus connected. */
  isReady: () => boolean;
}

/** Expiration has no API: only the shared /healthz and /readyz, so the cluster can probe it. */
export function createApp({ logger, isReady }: AppDeps): Express {
  return createHttpApp({ logger, isReady });
}
