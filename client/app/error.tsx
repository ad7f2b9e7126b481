'use client';

// The error boundary, and the not-found and loading views: one client module for the
// three boundaries, which every page loads, so that it comes in one chunk rather than
// three with a copy each (app/not-found.tsx and app/(home)/loading.tsx import them here).
export { ErrorPage as default, HomeLoadingView, NotFoundView } from '@/components/status-views';
