import { coalesceReads } from '../src/core';

/** A read whose every call is recorded and settled by hand. */
function manualRead() {
  const calls: Array<{ key: string; resolve: (value: string) => void; reject: (err: Error) => void }> = [];
  const read = (key: string) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ key, resolve, reject });
    });
  /** The i-th call, which must have been made. */
  const call = (i: number) => {
    const made = calls[i];
    if (!made) throw new Error(`read ${i} was never called (${calls.length} calls)`);
    return made;
  };
  return { calls, call, read };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesceReads', () => {
  it('callers that arrive while a read runs share the next read, not the running one', async () => {
    const { calls, call, read } = manualRead();
    const get = coalesceReads(read, (key: string) => key);

    const first = get('home');
    const during = [get('home'), get('home'), get('home')];
    expect(calls).toHaveLength(1);

    call(0).resolve('state before the write');
    expect(await first).toBe('state before the write');
    await tick();
    // The three who asked during the first read get one read of their own, started after they asked.
    expect(calls).toHaveLength(2);
    call(1).resolve('state after the write');
    expect(await Promise.all(during)).toEqual([
      'state after the write',
      'state after the write',
      'state after the write',
    ]);
  });

  it('a caller never gets a read that started before it asked', async () => {
    const { call, read } = manualRead();
    const get = coalesceReads(read, (key: string) => key);
    const order: string[] = [];

    const early = get('home').then((value) => order.push(`early:${value}`));
    // A write is acknowledged now; a caller that asks after it must see it.
    const late = get('home').then((value) => order.push(`late:${value}`));
    call(0).resolve('v1');
    await early;
    await tick();
    call(1).resolve('v2');
    await late;
    expect(order).toEqual(['early:v1', 'late:v2']);
  });

  it('different keys read independently', async () => {
    const { calls, call, read } = manualRead();
    const get = coalesceReads(read, (key: string) => key);
    const a = get('city=Oslo');
    const b = get('city=Lima');
    expect(calls.map((c) => c.key)).toEqual(['city=Oslo', 'city=Lima']);
    call(1).resolve('lima');
    call(0).resolve('oslo');
    expect(await Promise.all([a, b])).toEqual(['oslo', 'lima']);
  });

  it('a failed read fails only the callers that shared it; the next caller reads again', async () => {
    const { calls, call, read } = manualRead();
    const get = coalesceReads(read, (key: string) => key);
    const first = get('home');
    const shared = [get('home'), get('home')];
    call(0).reject(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    await tick();
    call(1).reject(new Error('still down'));
    for (const p of shared) await expect(p).rejects.toThrow('still down');

    const later = get('home');
    expect(calls).toHaveLength(3);
    call(2).resolve('back');
    expect(await later).toBe('back');
  });

  it('with many callers at once, at most two reads run per key', async () => {
    let reads = 0;
    const get = coalesceReads(
      async () => {
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return reads;
      },
      () => 'home',
    );
    const results = await Promise.all(Array.from({ length: 50 }, () => get(undefined)));
    expect(reads).toBe(2);
    expect(new Set(results)).toEqual(new Set([1, 2]));
  });
});
