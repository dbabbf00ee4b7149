// Compiled (not run) by the adapter's `typecheck`: the public types work with Express 4's types.
import express from 'express';
import { serverTiming } from '../../src/index.js';

const app = express();
app.use(
  serverTiming({
    enabled: (req) => req.path !== '/health',
    crossOrigin: (req) => req.get('origin') ?? false,
  }),
);
app.use('/api', express.Router().use(serverTiming()));
app.get('/', (_req, res) => {
  res.serverTiming.add({ name: 'cache', duration: 1, description: 'hit' });
  res.send('ok');
});
