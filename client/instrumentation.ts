// Runs once when the server starts (the standalone server of the image and of
// `npm start`). Next sets NEXT_RUNTIME; only the Node.js server has a process
// to look after (lib/server-process.ts), and that lives in its own module so
// the edge bundle never sees Node's APIs.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./lib/server-process');
}
