// Liveness for the cluster's probes: the Next server answers. It does not call the API,
// so a service being down never restarts the client.
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
