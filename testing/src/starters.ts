// What `npm start`'s supervisor needs from this package: the server specs and
// the port helpers, without the test-only parts (mongoose, the factories, the
// harness). Loading the whole package would cost the supervisor about 36 MiB.
export { mongoSpec, natsStreamingSpec, redisSpec, stripeMockSpec } from './servers';
export { freePort, portAccepts } from './processes';
export { serveStripeStateful } from './stripe-stateful-server';
