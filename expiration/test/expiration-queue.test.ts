import { expirationJobOptions, maxAttempts, retryDelayMs } from '../src/models/expiration-queue';

describe('expiration job options', () => {
  it('when the order is due in the future, then the job waits exactly until expiresAt', () => {
    const now = 1_700_000_000_000;

    const options = expirationJobOptions('0123456789abcdef01234567', now + 900_000, now);

    expect(options).toMatchObject({
      jobId: '0123456789abcdef01234567',
      timestamp: now,
      delay: 900_000,
      removeOnComplete: true,
      attempts: maxAttempts,
    });
  });

  it('when the order is already past due, then the delay is 0, not negative', () => {
    const now = 1_700_000_000_000;

    expect(expirationJobOptions('0123456789abcdef01234567', now - 5000, now).delay).toBe(0);
  });

  it('when publishing keeps failing, then retries back off from 200 ms, doubling, and never wait more than 30 s', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([200, 400, 800, 1600, 3200]);
    expect(retryDelayMs(20)).toBe(30_000);
    expect(retryDelayMs(maxAttempts)).toBe(30_000);
  });
});
