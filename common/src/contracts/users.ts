import { z } from 'zod';
import { userFieldLimits } from './user-rules';

const { password: pw, username: un } = userFieldLimits;

const email = z
  .string({ error: 'Email must be a valid email address' })
  .trim()
  .max(userFieldLimits.email, 'Email is too long')
  .pipe(z.email('Email must be a valid email address'));

/** The body of POST /api/users/signup. The password is not trimmed: spaces are part of it. */
export const signUpSchema = z.object({
  email,
  password: z
    .string({ error: `Password must be a string of ${pw.min} to ${pw.max} characters` })
    .min(pw.min, `Password must be at least ${pw.min} characters`)
    .max(pw.max, `Password must be at most ${pw.max} characters`),
  username: z
    .string({ error: `Username must be a string of ${un.min} to ${un.max} characters` })
    .trim()
    .min(un.min, `Username must be at least ${un.min} characters`)
    .max(un.max, `Username must be at most ${un.max} characters`)
    .optional(),
});
export type SignUpBody = z.infer<typeof signUpSchema>;

/** The body of POST /api/users/signin: only present and bounded (a wrong one is simply a failed sign-in). */
export const signInSchema = z.object({
  email: z
    .string({ error: 'Email must be provided' })
    .trim()
    .min(1, 'Email must be provided')
    .max(userFieldLimits.email, 'Email is too long'),
  password: z
    .string({ error: 'Password must be provided' })
    .min(1, 'Password must be provided')
    .max(pw.max, 'Password is too long'),
});
export type SignInBody = z.infer<typeof signInSchema>;
