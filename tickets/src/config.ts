import { defineConfig } from '@gittix/common/core';

/** Every variable the tickets service reads: the shared parts only (documented in docs/configuration.md). */
/** @public The schema of every variable: the manifests and docs/configuration.md are checked against it. */
export const { schema: configSchema, load: loadConfig } = defineConfig({ mongo: true, session: true }, {}, () => ({}));

export type Config = ReturnType<typeof loadConfig>;
