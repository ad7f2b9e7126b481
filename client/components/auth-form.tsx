'use client';

import { Button, Input, Link, Stack, Text } from '@chakra-ui/react';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { ApiError, signIn, signUp } from '@/lib/api';
import {
  AUTH_FIELDS,
  credentialsBody,
  validateCredentials,
  type AuthFieldErrors,
  type AuthFormValues,
  type AuthField,
  type AuthMode,
} from '@/lib/auth-input';
import { useSetCurrentUser } from '@/lib/hooks';
import { safeNextPath } from '@/lib/safe-redirect';
import { FormField } from './form-field';
import { ErrorList, Page } from './ui';

export function AuthForm({ mode, next }: { mode: AuthMode; next: string }) {
  const router = useRouter();
  const setCurrentUser = useSetCurrentUser();
  const [values, setValues] = useState<AuthFormValues>({ email: '', password: '', username: '' });
  const [fieldErrors, setFieldErrors] = useState<AuthFieldErrors>({});
  const [generalErrors, setGeneralErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const inputs = useRef<Partial<Record<AuthField, HTMLInputElement | null>>>({});

  const isSignup = mode === 'signup';
  const title = isSignup ? 'Create your account' : 'Sign in';
  const otherHref = `${isSignup ? '/auth/signin' : '/auth/signup'}${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`;

  function focusFirstError(errors: AuthFieldErrors) {
    const first = AUTH_FIELDS.find((f) => errors[f]);
    if (first) inputs.current[first]?.focus();
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors = validateCredentials(mode, values);
    setFieldErrors(errors);
    setGeneralErrors([]);
    if (Object.keys(errors).length > 0) {
      focusFirstError(errors);
      return;
    }
    setSubmitting(true);
    try {
      const credentials = credentialsBody(mode, values);
      const user = await (isSignup ? signUp(credentials) : signIn(credentials));
      // The header reads the user from SWR; the pages are dynamic, so the next one is
      // rendered with the new cookie. (No router.refresh() here: issued right after the
      // navigation it can re-render the page being left instead of the destination.)
      await setCurrentUser(user);
      router.replace(safeNextPath(next));
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiError) {
        const byField = error.fieldErrors() as AuthFieldErrors;
        setFieldErrors(byField);
        setGeneralErrors(error.generalErrors(isSignup ? AUTH_FIELDS : ['email', 'password']));
        focusFirstError(byField);
      } else {
        setGeneralErrors(['Something went wrong. Please try again.']);
      }
    }
  }

  const update = (field: AuthField) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  return (
    <Page title={title} maxW="md">
      <form method="post" onSubmit={(e) => void handleSubmit(e)} noValidate aria-label={title}>
        <Stack gap="5">
          <ErrorList messages={generalErrors} />
          <FormField label="Email" error={fieldErrors.email} required>
            <Input
              ref={(el) => {
                inputs.current.email = el;
              }}
              name="email"
              type="email"
              autoComplete="email"
              inputMode="email"
              value={values.email}
              onChange={update('email')}
              bg="white"
            />
          </FormField>
          <FormField
            label="Password"
            error={fieldErrors.password}
            helper={isSignup ? 'At least 8 characters' : undefined}
            required
          >
            <Input
              ref={(el) => {
                inputs.current.password = el;
              }}
              name="password"
              type="password"
              autoComplete={isSignup ? 'new-password' : 'current-password'}
              value={values.password}
              onChange={update('password')}
              bg="white"
            />
          </FormField>
          {isSignup ? (
            <FormField
              label="Username"
              error={fieldErrors.username}
              helper="Shown to buyers. Optional: defaults to the first part of your email."
            >
              <Input
                ref={(el) => {
                  inputs.current.username = el;
                }}
                name="username"
                autoComplete="username"
                value={values.username}
                onChange={update('username')}
                bg="white"
              />
            </FormField>
          ) : null}
          <Button
            type="submit"
            colorPalette="teal"
            loading={submitting}
            loadingText={isSignup ? 'Signing up' : 'Signing in'}
          >
            {isSignup ? 'Sign up' : 'Sign in'}
          </Button>
          <Text fontSize="sm" color="gray.600">
            {isSignup ? 'Already have an account? ' : 'New to GitTix? '}
            <Link asChild color="teal.700" textDecoration="underline">
              <NextLink href={otherHref}>{isSignup ? 'Sign in' : 'Create an account'}</NextLink>
            </Link>
          </Text>
        </Stack>
      </form>
    </Page>
  );
}
