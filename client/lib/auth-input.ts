/**
 * The sign-in and sign-up forms' checks, as a pure function. The lengths are
 * the auth service's (`userFieldLimits`, through contracts-lite, so these
 * pages load no zod); the email check is a quick shape test, and the service
 * has the last word.
 */
import { userFieldLimits } from './contracts-lite';

export type AuthMode = 'signin' | 'signup';
export type AuthField = 'email' | 'password' | 'username';
export const AUTH_FIELDS: readonly AuthField[] = ['email', 'password', 'username'];

export type AuthFormValues = Record<AuthField, string>;
export type AuthFieldErrors = Partial<Record<AuthField, string>>;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A message per field that is not acceptable; empty when the form may be sent. */
export function validateCredentials(mode: AuthMode, values: AuthFormValues): AuthFieldErrors {
  const errors: AuthFieldErrors = {};
  const { email: maxEmail, password, username: usernameLimits } = userFieldLimits;
  const email = values.email.trim();
  if (!EMAIL_SHAPE.test(email) || email.length > maxEmail) errors.email = 'Enter a valid email address';
  if (mode === 'signup') {
    if (values.password.length < password.min || values.password.length > password.max)
      errors.password = `Use between ${password.min} and ${password.max} characters`;
    const username = values.username.trim();
    if (username !== '' && (username.length < usernameLimits.min || username.length > usernameLimits.max))
      errors.username = `Use between ${usernameLimits.min} and ${usernameLimits.max} characters, or leave it empty`;
  } else if (values.password === '') {
    errors.password = 'Enter your password';
  } else if (values.password.length > password.max) {
    errors.password = 'That password is too long';
  }
  return errors;
}

/** The body of the sign-in or sign-up request: the email trimmed, the username only when given (sign-up). */
export function credentialsBody(
  mode: AuthMode,
  values: AuthFormValues,
): { email: string; password: string; username?: string } {
  const username = values.username.trim();
  return {
    email: values.email.trim(),
    password: values.password,
    ...(mode === 'signup' && username !== '' ? { username } : {}),
  };
}
