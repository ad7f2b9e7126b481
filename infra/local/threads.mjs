// The parts of the one-machine platform that run on worker threads of the
// supervisor rather than as processes of their own: the gateway and the Stripe
// stand-in. Each has its own event loop, so relaying and formatting every
// process's log lines (the supervisor's main loop) never delays it, and no
// second Node runtime takes memory (a Node process idles at about 40 MiB, a
// thread at about 10). If a thread dies, it is started again.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/** What each kind of thread runs: `start(options)` resolves to `{ close() }` once it serves. */
const parts = {
  gateway: async (options) => (await import('./gateway.mjs')).startGateway(options),
  stripe: async ({ port }) => {
    // stripe-stateful-mock, served as @gittix/testing serves it to the tests.
    const { createRequire } = await import('node:module');
    const { serveStripeStateful } = createRequire(import.meta.url)('@gittix/testing/starters');
    const server = await serveStripeStateful(port);
    return {
      close: () =>
        new Promise((resolve) => {
          server.close(() => resolve(undefined));
          server.closeAllConnections();
        }),
    };
  },
};

if (!isMainThread && workerData?.gittixThread) {
  const { kind, options } = workerData.gittixThread;
  const part = await parts[kind]({ ...options, log: (line) => parentPort.postMessage({ log: line }) });
  parentPort.on('message', async (message) => {
    if (message === 'close') {
      await part.close();
      parentPort.postMessage({ closed: true });
    }
  });
  parentPort.postMessage({ ready: true });
}

/**
 * Runs one part on a worker thread; its log lines reach `log` on this thread.
 * @param {keyof typeof parts} kind
 * @param {object} options  structured-cloneable
 * @param {(line: string) => void} log
 * @param {NodeJS.ProcessEnv} [env]  the thread's process.env
 * @returns {Promise<{ close(): Promise<void> }>}
 */
async function startThread(kind, options, log, env) {
  let closing = false;
  // Restarted only once it has served: a part that cannot start at all (its
  // port taken) fails the platform's start instead of retrying forever.
  let served = false;
  let worker;
  const start = () =>
    new Promise((resolve, reject) => {
      worker = new Worker(new URL(import.meta.url), {
        workerData: { gittixThread: { kind, options } },
        ...(env ? { env } : {}),
      });
      worker.on('message', (message) => {
        if (message.log) log(message.log);
        if (message.ready) {
          served = true;
          resolve(undefined);
        }
      });
      worker.once('error', (err) => {
        log(`${kind} thread failed: ${err.message}`);
        reject(err);
      });
      worker.once('exit', (code) => {
        if (closing || !served) return;
        log(`${kind} thread exited (${code}); starting it again`);
        setTimeout(() => start().catch(() => undefined), 500).unref();
      });
    });
  await start();
  return {
    close: async () => {
      closing = true;
      const current = worker;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 5000);
        current.on('message', (message) => {
          if (message.closed) {
            clearTimeout(timer);
            resolve(undefined);
          }
        });
        current.postMessage('close');
      });
      await current.terminate();
    },
  };
}

/**
 * startGateway's options and result (gateway.mjs), on a worker thread.
 * @param {Omit<Parameters<typeof import('./gateway.mjs').startGateway>[0], 'log'> & { log: (line: string) => void }} options
 */
export function startGatewayThread({ log, ...options }) {
  return startThread('gateway', options, log);
}

/**
 * stripe-stateful-mock on 127.0.0.1:`port`, on a worker thread.
 * @param {{ port: number, log: (line: string) => void }} options
 */
export function startStripeThread({ port, log }) {
  // The mock logs every request at its default level; only errors matter here.
  return startThread('stripe', { port }, log, { ...process.env, LOG_LEVEL: 'error' });
}
