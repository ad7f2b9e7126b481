import { createRevocationCache } from '../src/core';

/** A lookup that answers only when told to, counting its calls. */
function heldLookup() {
  const calls: { sessionId: string; answer: (revoked: boolean) => void; fail: (err: Error) => void }[] = [];
  const lookup = (sessionId: string) =>
    new Promise<boolean>((answer, fail) => {
      calls.push({ sessionId, answer, fail });
    });
  return { calls, lookup };
}

describe('createRevocationCache', () => {
  it('asks the store once for the requests that miss together, and once more after liveForMs', async () => {
    const { calls, lookup } = heldLookup();
    const cache = createRevocationCache(lookup, { liveForMs: 50 });

    const together = Array.from({ length: 10 }, () => cache.isRevoked('s1'));
    expect(calls).toHaveLength(1);
    calls[0]?.answer(false);
    await expect(Promise.all(together)).resolves.toEqual(Array(10).fill(false));

    await expect(cache.isRevoked('s1')).resolves.toBe(false);
    expect(calls).toHaveLength(1);

    await new Promise((r) => setTimeout(r, 60));
    const later = cache.isRevoked('s1');
    expect(calls).toHaveLength(2);
    calls[1]?.answer(true);
    await expect(later).resolves.toBe(true);
  });

  it('keeps a revocation marked while a lookup was reading the store', async () => {
    const { calls, lookup } = heldLookup();
    const cache = createRevocationCache(lookup, { liveForMs: 60_000 });

    const asked = cache.isRevoked('s1');
    cache.markRevoked('s1');
    calls[0]?.answer(false); // read before the revocation was written

    await expect(asked).resolves.toBe(true);
    await expect(cache.isRevoked('s1')).resolves.toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('fails the requests that shared a failed lookup, and asks again on the next one', async () => {
    const { calls, lookup } = heldLookup();
    const cache = createRevocationCache(lookup);

    const together = [cache.isRevoked('s1'), cache.isRevoked('s1')];
    calls[0]?.fail(new Error('store down'));
    for (const request of together) await expect(request).rejects.toThrow('store down');

    const next = cache.isRevoked('s1');
    expect(calls).toHaveLength(2);
    calls[1]?.answer(false);
    await expect(next).resolves.toBe(false);
  });

  it('fails only the request whose lookup threw at once, not the next one', async () => {
    let calls = 0;
    const cache = createRevocationCache((sessionId) => {
      calls += 1;
      if (calls === 1) throw new Error('not connected');
      return Promise.resolve(sessionId === 'revoked');
    });

    await expect(cache.isRevoked('s1')).rejects.toThrow('not connected');
    await expect(cache.isRevoked('s1')).resolves.toBe(false);
    expect(calls).toBe(2);
  });

  it('keeps other sessions apart', async () => {
    const { calls, lookup } = heldLookup();
    const cache = createRevocationCache(lookup);

    const one = cache.isRevoked('s1');
    const two = cache.isRevoked('s2');
    expect(calls.map((c) => c.sessionId)).toEqual(['s1', 's2']);
    calls[0]?.answer(true);
    calls[1]?.answer(false);
    await expect(Promise.all([one, two])).resolves.toEqual([true, false]);
  });
});
