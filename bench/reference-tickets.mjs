// The course original's tickets service (StephenGrider/ticketing, 2020), as
// far as a benchmark needs it: its document shape and its two read queries,
// written here from its design, not copied. Express 4-style app with a JSON
// body parser and an unsigned cookie session; a ticket is
// { title, price, userId, version, orderId? } with `id` in its JSON;
// GET /api/tickets answers every ticket no order holds (no paging), and
// GET /api/tickets/:id one ticket or 404. Used by bench/lookups.mjs.
import cookieSession from 'cookie-session';
import express from 'express';
import mongoose from 'mongoose';

/**
 * Starts it on a free port over `mongoUrl`, seeded with the lean form of
 * `tickets` (same ids, so the same lookup paths work on both).
 * @returns {Promise<{ url: string, lookupPaths: (paths: string[]) => string[], close(): Promise<void> }>}
 */
export async function startReferenceTickets(mongoUrl, tickets) {
  const connection = await mongoose.createConnection(mongoUrl).asPromise();
  const schema = new mongoose.Schema(
    {
      title: { type: String, required: true },
      price: { type: Number, required: true },
      userId: String,
      orderId: String,
    },
    {
      toJSON: {
        transform(_doc, ret) {
          ret.id = ret._id;
          delete ret._id;
        },
      },
    },
  );
  schema.set('versionKey', 'version');
  const Ticket = connection.model('Ticket', schema);
  await Ticket.collection.insertMany(
    tickets.map((t) => ({
      _id: t._id,
      title: t.title,
      price: t.price,
      userId: t.userId.toHexString(),
      version: t.version,
      ...(t.orderId ? { orderId: t.orderId.toHexString() } : {}),
    })),
  );

  const app = express();
  app.set('trust proxy', true);
  app.use(express.json());
  app.use(cookieSession({ signed: false, secure: false }));
  app.get('/api/tickets', async (_req, res) => {
    const found = await Ticket.find({ orderId: null });
    res.send(found);
  });
  app.get('/api/tickets/:id', async (req, res, next) => {
    try {
      const ticket = await Ticket.findById(req.params.id);
      if (!ticket) return res.status(404).send({ errors: [{ message: 'Not Found' }] });
      res.send(ticket);
    } catch (err) {
      next(err);
    }
  });
  app.use((err, _req, res, _next) => res.status(400).send({ errors: [{ message: err.message }] }));

  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    lookupPaths: (paths) => paths,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}
