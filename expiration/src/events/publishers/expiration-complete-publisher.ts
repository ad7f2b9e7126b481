import { expirationCompleteSubject, Publisher } from '@gittix/common';

export class ExpirationCompletePublisher extends Publisher<typeof expirationCompleteSubject> {
  readonly subject = expirationCompleteSubject;
}
