// The contracts as the client imports them (lib/contracts.ts): the pages'
// Content-Security-Policy forbids eval, so zod must never try it.

type GlobalWithZod = typeof globalThis & { __zod_globalConfig?: unknown };

describe('@gittix/common/contracts in the client', () => {
  it('builds and runs its schemas without ever calling Function (eval)', async () => {
    const global = globalThis as GlobalWithZod;
    const original = global.Function;
    const calls: unknown[][] = [];
    const watched = new Proxy(original, {
      construct(target, args: unknown[]) {
        calls.push(args);
        return Reflect.construct(target, args) as object;
      },
      apply(target, self, args: unknown[]) {
        calls.push(args);
        return Reflect.apply(target, self, args) as unknown;
      },
    });
    // A fresh zod, as in a browser tab: its global settings and eval probe start unset.
    const savedConfig = global.__zod_globalConfig;
    delete global.__zod_globalConfig;
    global.Function = watched;
    try {
      await jest.isolateModulesAsync(async () => {
        const contracts = await import('../lib/contracts');
        const event = { venue: 'Olympiastadion', city: 'Berlin', category: 'sports' };
        const eventDate = new Date(Date.now() + 86_400_000).toISOString();
        expect(contracts.ticketBodySchema.parse({ title: ' Concert ', price: 25, eventDate, ...event })).toEqual({
          title: 'Concert',
          price: 25,
          eventDate: new Date(eventDate),
          ...event,
        });
        expect(contracts.ticketSearchSchema.safeParse({ q: 'jazz', from: '2027-06-05' }).success).toBe(true);
        expect(contracts.signUpSchema.safeParse({ email: 'x', password: 'short' }).success).toBe(false);
      });
    } finally {
      global.Function = original;
      global.__zod_globalConfig = savedConfig;
    }
    expect(calls).toEqual([]);
  });
});
