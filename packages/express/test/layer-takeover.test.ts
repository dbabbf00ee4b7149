// What becomes of the middleware's layer after its first request in an app: taken out of its router
// (attaching at the router's entry) where it is the router's first layer and no option is a function of
// the request, else given its own function back. Handlers must see the same `res.serverTiming` either way.
import { createServer } from 'node:http';
import { closeServer, listen, request } from '@otel-server-timing/adapter-test-kit';
import type { Express, IRouter, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { type ServerTimingMiddleware, serverTiming } from '../src/index.js';
import { type ExpressFactory, setUpExpressSuite } from './express-suite.js';

const { suite, serve } = setUpExpressSuite({ rangeFloor: false });

type Layer = { handle: { __original?: unknown } };

/** The layers of `router` (an app's, or an `express.Router()`) that hold `middleware`, wrapped or not. */
function layersOf(router: unknown, middleware: ServerTimingMiddleware): Layer[] {
  const stack = (router as { stack: Layer[] }).stack;
  return stack.filter((layer) => layer.handle === middleware || layer.handle.__original === middleware);
}

/** The app's own router: Express 4 keeps it in `_router`, Express 5 in `router`. */
function routerOf(app: Express): unknown {
  return (app as unknown as { _router?: unknown })._router ?? (app as unknown as { router: unknown }).router;
}

/** A handler that answers with its own metric, if `res.serverTiming` is there. */
function answer(_req: Request, res: Response) {
  res.serverTiming?.add({ name: 'own', duration: 1 });
  res.send(res.serverTiming === undefined ? 'without' : 'with');
}

/** An app that mounts at `/api` a router of `middleware` and a `/users` route, served: the router and origin. */
async function serveApiRouter(express: ExpressFactory, middleware: ServerTimingMiddleware) {
  const app = express();
  const api = express.Router();
  api.use(middleware);
  api.get('/users', answer);
  app.use('/api', api);
  return { api, origin: await serve(app) };
}

/** A handler put on `router` ahead of what comes next: what it saw of `res.serverTiming`, request by request. */
function seenByHandlerBefore(router: Pick<IRouter, 'use'>): unknown[] {
  const seen: unknown[] = [];
  router.use((_req, res, next) => {
    seen.push(res.serverTiming);
    next();
  });
  return seen;
}

/** Ten requests at once, then five one after another: what each answered, and how many `total`s it got. */
async function requestsTo(url: string) {
  const concurrent = await Promise.all(Array.from({ length: 10 }, () => request(url)));
  const sequential = [];
  for (let index = 0; index < 5; index++) sequential.push(await request(url));
  return [...concurrent, ...sequential].map((response) => ({
    body: response.body,
    own: response.metrics.filter((entry) => entry.name === 'own').length,
    totals: response.metrics.filter((entry) => entry.name === 'total').length,
  }));
}

const WITH_TIMINGS = { body: 'with', own: 1, totals: 1 };

describe.each(['express 5', 'express 4'])('%s', (major) => {
  it('takes a router’s first layer out of it and attaches at the router’s entry, the same for handlers', async () => {
    const middleware = serverTiming();
    const { api, origin } = await serveApiRouter(suite.majors[major]!, middleware);
    expect(await requestsTo(`${origin}/api/users`)).toEqual(Array(15).fill(WITH_TIMINGS));
    expect(layersOf(api, middleware)).toEqual([]);
    // Handlers added after the takeover get it too.
    api.get('/later', answer);
    expect((await request(`${origin}/api/later`)).metrics.map((entry) => entry.name)).toContain('own');
  });

  it('on the app’s own router, takes it out where it is first (after the two layers Express 4 puts first)', async () => {
    const app = suite.majors[major]!();
    const middleware = serverTiming();
    app.use(middleware);
    app.get('/', answer);
    const origin = await serve(app);
    expect(await requestsTo(`${origin}/`)).toEqual(Array(15).fill(WITH_TIMINGS));
    expect(layersOf(routerOf(app), middleware)).toEqual([]);
  });

  it('keeps the layer where a handler comes before it, which never sees res.serverTiming', async () => {
    const express = suite.majors[major]!;
    const app = express();
    const middleware = serverTiming();
    const api = express.Router();
    const before = seenByHandlerBefore(api);
    api.use(middleware);
    api.get('/users', answer);
    app.use('/api', api);
    const origin = await serve(app);
    expect(await requestsTo(`${origin}/api/users`)).toEqual(Array(15).fill(WITH_TIMINGS));
    expect(before).toEqual(Array(15).fill(undefined));
    expect(layersOf(api, middleware).map((layer) => layer.handle)).toEqual([middleware]);
  });

  it('keeps the layer on the app’s own router where a handler comes before it', async () => {
    const app = suite.majors[major]!();
    const middleware = serverTiming();
    const before = seenByHandlerBefore(app);
    app.use(middleware);
    app.get('/', answer);
    const origin = await serve(app);
    expect(await requestsTo(`${origin}/`)).toEqual(Array(15).fill(WITH_TIMINGS));
    expect(before).toEqual(Array(15).fill(undefined));
    expect(layersOf(routerOf(app), middleware).map((layer) => layer.handle)).toEqual([middleware]);
  });

  it('keeps the layer when an option is a function of the request, which sees req as the layer does', async () => {
    const seen: unknown[] = [];
    const middleware = serverTiming({
      enabled: (req) => {
        seen.push([req.originalUrl, req.baseUrl, req.path, req.params, typeof req.next]);
        return true;
      },
    });
    const { api, origin } = await serveApiRouter(suite.majors[major]!, middleware);
    expect(await requestsTo(`${origin}/api/users`)).toEqual(Array(15).fill(WITH_TIMINGS));
    expect(seen).toEqual(Array(15).fill(['/api/users', '/api', '/users', {}, 'function']));
    expect(layersOf(api, middleware).map((layer) => layer.handle)).toEqual([middleware]);
  });

  it('takes it over in every app that mounts it, each on its own first request', async () => {
    const express = suite.majors[major]!;
    const middleware = serverTiming();
    const apps = [express(), express()];
    const routers = apps.map((app) => {
      const router = express.Router();
      router.use(middleware);
      router.get('/', answer);
      app.use(router);
      return router;
    });
    const origins = await Promise.all(apps.map(serve));
    for (const [index, origin] of origins.entries()) {
      expect(await requestsTo(`${origin}/`)).toEqual(Array(15).fill(WITH_TIMINGS));
      expect(layersOf(routers[index], middleware)).toEqual([]);
    }
    // Alternating between the apps changes nothing.
    for (const origin of [...origins, ...origins]) {
      expect((await request(`${origin}/`)).body).toBe('with');
    }
  });

  it('serves a response that cannot take res.serverTiming, on the first request and after the takeover', async () => {
    const app = suite.majors[major]!();
    app.use(serverTiming());
    app.get('/', (_req, res) => res.send('ok'));
    const server = createServer((req, res) => {
      Object.defineProperty(res, 'serverTiming', {
        get: () => undefined,
        set: () => {
          throw new Error('this response takes no serverTiming');
        },
      });
      app(req, res);
    });
    suite.afterTest(() => closeServer(server));
    const origin = await listen(server);
    for (let index = 0; index < 3; index++) {
      const response = await request(origin);
      expect([response.status, response.body]).toEqual([200, 'ok']);
    }
  });
});
