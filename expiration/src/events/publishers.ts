import { Publisher } from '@gittix/common/bus';
import { expirationCompleteSubject } from '@gittix/common/contracts';

/** expiration:complete, published straight to the bus (the job is the record: it is retried until the bus stores it). */
export class ExpirationCompletePublisher extends Publisher<typeof expirationCompleteSubject> {
  readonly subject = expirationCompleteSubject;
}
