import { signInSchema, signUpSchema } from '@gittix/common/contracts';
import { credentialsBody, validateCredentials, type AuthFormValues } from '../lib/auth-input';

const good: AuthFormValues = { email: 'sam@example.test', password: 'a long password', username: 'sam' };

describe('validateCredentials', () => {
  it('accepts a complete sign-up and a complete sign-in', () => {
    expect(validateCredentials('signup', good)).toEqual({});
    expect(validateCredentials('signin', { ...good, password: 'x', username: '' })).toEqual({});
  });

  it.each(['', 'sam', 'sam@', '@example.test', 'sam@example', 'sam @example.test', 'sam@exa mple.test'])(
    'refuses the email %j',
    (email) => {
      expect(validateCredentials('signin', { ...good, email })).toEqual({ email: 'Enter a valid email address' });
    },
  );

  it('trims the email, and refuses one longer than the auth service accepts (254)', () => {
    expect(validateCredentials('signup', { ...good, email: '  sam@example.test ' })).toEqual({});
    const local = 'a'.repeat(254 - '@example.test'.length);
    expect(validateCredentials('signup', { ...good, email: `${local}@example.test` })).toEqual({});
    expect(validateCredentials('signup', { ...good, email: `${local}a@example.test` })).toEqual({
      email: 'Enter a valid email address',
    });
  });

  it('wants a sign-up password of 8 to 128 characters, spaces included', () => {
    const message = 'Use between 8 and 128 characters';
    expect(validateCredentials('signup', { ...good, password: '1234567' })).toEqual({ password: message });
    expect(validateCredentials('signup', { ...good, password: '12345678' })).toEqual({});
    expect(validateCredentials('signup', { ...good, password: '        ' })).toEqual({}); // not trimmed
    expect(validateCredentials('signup', { ...good, password: 'p'.repeat(128) })).toEqual({});
    expect(validateCredentials('signup', { ...good, password: 'p'.repeat(129) })).toEqual({ password: message });
  });

  it('only wants a sign-in password to be there (and not absurdly long)', () => {
    expect(validateCredentials('signin', { ...good, password: '' })).toEqual({ password: 'Enter your password' });
    expect(validateCredentials('signin', { ...good, password: 'short' })).toEqual({});
    expect(validateCredentials('signin', { ...good, password: 'p'.repeat(129) })).toEqual({
      password: 'That password is too long',
    });
  });

  it('takes an optional username of 2 to 20 characters on sign-up, and ignores it on sign-in', () => {
    const message = 'Use between 2 and 20 characters, or leave it empty';
    expect(validateCredentials('signup', { ...good, username: '' })).toEqual({});
    expect(validateCredentials('signup', { ...good, username: '   ' })).toEqual({});
    expect(validateCredentials('signup', { ...good, username: 's' })).toEqual({ username: message });
    expect(validateCredentials('signup', { ...good, username: ' s ' })).toEqual({ username: message });
    expect(validateCredentials('signup', { ...good, username: 'u'.repeat(20) })).toEqual({});
    expect(validateCredentials('signup', { ...good, username: 'u'.repeat(21) })).toEqual({ username: message });
    expect(validateCredentials('signin', { ...good, username: 's' })).toEqual({});
  });

  it('reports every field at once', () => {
    expect(validateCredentials('signup', { email: 'x', password: 'short', username: 'u' })).toEqual({
      email: 'Enter a valid email address',
      password: 'Use between 8 and 128 characters',
      username: 'Use between 2 and 20 characters, or leave it empty',
    });
  });
});

describe('credentialsBody', () => {
  it('trims the email and the username, never the password', () => {
    expect(
      credentialsBody('signup', { email: ' sam@example.test ', password: ' pass word ', username: ' sam ' }),
    ).toEqual({ email: 'sam@example.test', password: ' pass word ', username: 'sam' });
  });

  it('leaves out an empty username, and any username on sign-in', () => {
    expect(credentialsBody('signup', { ...good, username: '  ' })).toEqual({
      email: 'sam@example.test',
      password: 'a long password',
    });
    expect(credentialsBody('signin', good)).toEqual({ email: 'sam@example.test', password: 'a long password' });
  });

  it('sends what the auth service accepts once the form says it is valid', () => {
    expect(signUpSchema.safeParse(credentialsBody('signup', good)).success).toBe(true);
    expect(signUpSchema.safeParse(credentialsBody('signup', { ...good, username: '' })).success).toBe(true);
    expect(signInSchema.safeParse(credentialsBody('signin', good)).success).toBe(true);
  });
});
