import { Schema, type Connection, type Model } from 'mongoose';
import type { DeadLetter, DeadLetterSink } from '../bus/listener';

export interface DeadLetterAttrs extends DeadLetter {
  parkedAt: Date;
}

const deadLetterSchema = new Schema<DeadLetterAttrs>(
  {
    subject: { type: String, required: true },
    sequence: { type: Number, required: true },
    queueGroup: { type: String, required: true },
    deliveries: { type: Number, required: true },
    data: { type: Schema.Types.Mixed },
    error: { type: String, required: true },
    parkedAt: { type: Date, required: true },
  },
  { versionKey: false, timestamps: false },
);

/**
 * A service's dead letters, in its own database (collection `deadletters`):
 * what a person looks at, fixes the cause of and, if needed, republishes.
 * Parking the same delivery twice (a redelivery racing the ack) keeps one.
 */
export class DeadLetters implements DeadLetterSink {
  readonly model: Model<DeadLetterAttrs>;

  constructor(connection: Connection) {
    this.model = connection.model<DeadLetterAttrs>('DeadLetter', deadLetterSchema);
  }

  async park(letter: DeadLetter): Promise<void> {
    await this.model.updateOne(
      { subject: letter.subject, sequence: letter.sequence, queueGroup: letter.queueGroup },
      { $set: { ...letter, parkedAt: new Date() } },
      { upsert: true },
    );
  }
}
