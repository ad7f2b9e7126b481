// The gateway on its own thread: its own event loop, so relaying and formatting
// every process's log lines (the supervisor's main loop) never delays a request.
// A worker thread rather than a process: no second Node runtime in memory.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startGateway } from './gateway.mjs';

if (!isMainThread && workerData?.gittixGateway) {
  const gateway = await startGateway({
    ...workerData.options,
    log: (line) => parentPort.postMessage({ log: line }),
  });
  parentPort.on('message', async (message) => {
    if (message === 'close') {
      await gateway.close();
      parentPort.postMessage({ closed: true });
    }
  });
  parentPort.postMessage({ ready: true });
}

/**
 * startGateway's options and result, run on a worker thread. Its log lines
 * reach `log` on this thread. If the thread dies, it is started again.
 * @param {Omit<Parameters<typeof startGateway>[0], 'log'> & { log: (line: string) => void }} options
 * @returns {Promise<{ close(): Promise<void> }>}
 */
export async function startGatewayThread({ log, ...options }) {
  let closing = false;
  let worker;
  const start = () =>
    new Promise((resolve, reject) => {
      worker = new Worker(new URL(import.meta.url), { workerData: { gittixGateway: true, options } });
      worker.on('message', (message) => {
        if (message.log) log(message.log);
        if (message.ready) resolve(undefined);
      });
      worker.once('error', (err) => {
        log(`gateway thread failed: ${err.message}`);
        reject(err);
      });
      worker.once('exit', (code) => {
        if (closing) return;
        log(`gateway thread exited (${code}); starting it again`);
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
