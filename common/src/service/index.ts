/**
 * @gittix/common/service: one service, declared once (ServiceSpec), run as a
 * process by `index.ts` (runService) and started in-process by the tests
 * (startService). It needs no database driver: a service with a database
 * opens it in its `wire` through @gittix/common/db.
 */
export {
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceParts,
  type ServiceSpec,
  type StartOverrides,
} from './start-service';
export { defaultStopTimeoutMs, runService } from './run-service';
