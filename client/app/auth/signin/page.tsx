import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth-form';
import { safeNextPath } from '@/lib/safe-redirect';
import { getCurrentUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Sign in' };

export default async function Page({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNextPath((await searchParams).next);
  // Already signed in: go straight where the visitor was headed.
  if (await getCurrentUser()) redirect(next);
  return <AuthForm mode="signin" next={next} />;
}
