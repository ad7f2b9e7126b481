/**
 * The account rules that need no zod, so that the web app's sign-in and
 * sign-up forms can check lengths without loading the schemas (users.ts
 * builds those from these limits).
 */

/** How long each field of an account may be. */
export const userFieldLimits = {
  email: 254,
  password: { min: 8, max: 128 },
  username: { min: 2, max: 20 },
} as const;
