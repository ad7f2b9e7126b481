/**
 * @gittix/common/db: a service's MongoDB — the connection, the schema options
 * every model shares, the outbox, the one write path (changeDocument), the
 * replica rule, paged reads, dead letters and revoked sessions.
 */
export { openDatabase, openRevokedSessions, type Database } from './open-database';
export { baseSchemaOptions, connectMongo, isDuplicateKeyError, isMongoConnected } from './mongo';
export { Outbox, outboxFields, pendingEvent, type PendingEvent } from './outbox';
export {
  changeDocument,
  insertDocument,
  type DocumentStore,
  type Planner,
  type PlannedWrite,
  type Write,
} from './change-document';
export { applyNextVersion, insertReplica, type ReplicaOutcome } from './replica';
export { findLeanById } from './find-by-id';
export { findPage, findListingPage, type Page, type Listing, type Segment, type KeysetOrder } from './pagination';
export { DeadLetters } from './dead-letters';
export { RevokedSessions } from './revoked-sessions';
