import { z } from 'zod';

// zod builds faster parsers with `new Function` where it may; to find out, it
// tries one when the first object schema is created. The pages' Content-Security-Policy
// forbids eval, so that probe is reported as a violation in every browser. Without
// JIT, zod never tries. This module must run before any schema exists: lib/contracts.ts
// imports it first.
z.config({ jitless: true });
