import express from 'express';
import { users } from './routes/users.mjs';

const port = Number(process.env.PORT ?? 3000);
const app = express();

app.use(express.json());
app.use(function requestCounter(_request, _response, next) {
  app.locals.requests = (app.locals.requests ?? 0) + 1;
  next();
});
app.use('/api/users', users);
app.get('/health', (_request, response) => {
  response.send(`ok after ${app.locals.requests} requests`);
});

app.listen(port, '127.0.0.1', () => {
  console.log(`Express listening on http://127.0.0.1:${port}`);
});
