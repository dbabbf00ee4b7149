import {
  type AdapterDriver,
  request,
  testAdapterContract,
  testIsolationUnderLoad,
  testPrivacyLevels,
  testResponsesFromOtherContexts,
  waitForExportedSpan,
  waitForSettledRequest,
} from '@otel-server-timing/adapter-test-kit';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { type ExpressServerTimingOptions, serverTiming } from '../src/index.js';
import { setUpExpressSuite } from './express-suite.js';

const { suite, serve } = setUpExpressSuite({ rangeFloor: true });

function authenticate(_req: Request, _res: Response, next: NextFunction) {
  setTimeout(next, 1);
}

function driver(major: string): AdapterDriver {
  return {
    owner: '@otel-server-timing/express',
    frameworkAttribute: 'express.type',
    canSkip: true,
    serve(options, route) {
      const app = suite.majors[major]!();
      app.use(serverTiming(options as ExpressServerTimingOptions));
      app.use(authenticate);
      app.use(async (req, res) => {
        const tools = {
          add: res.serverTiming.add.bind(res.serverTiming),
          setHeader: res.set.bind(res),
          skip: res.serverTiming.skip.bind(res.serverTiming),
        };
        await route(tools, req.path);
        res.send('ok');
      });
      return serve(app);
    },
    setUp: async (options) => {
      suite.majors[major]!().use(serverTiming(options as ExpressServerTimingOptions));
    },
  };
}

describe.each(['express 5', 'express 4', 'express 4.17.0'])('%s', (major) => {
  testAdapterContract(suite, () => driver(major));
  testPrivacyLevels(() => driver(major));

  it('leaves routes out by an enabled function of the Express req, or by mounting it on a router', async () => {
    const express = suite.majors[major]!;
    const app = express();
    const seen: string[] = [];
    const api = express.Router();
    api.use(
      serverTiming({
        enabled: (req) => {
          seen.push(req.path);
          return !req.path.startsWith('/internal');
        },
      }),
    );
    api.get('/users', (_req, res) => res.send('users'));
    api.get('/internal/health', (_req, res) => {
      res.serverTiming.add({ name: 'ignored', duration: 1 });
      res.send('healthy');
    });
    app.use('/api', api);
    // Every response is given an empty `serverTiming` before Express sees it: `undefined`, never `null`.
    app.get('/static', (_req, res) => res.send(res.serverTiming === undefined ? 'static' : 'given'));
    const origin = await serve(app);
    const [users, health, outside] = await Promise.all([
      request(`${origin}/api/users`),
      request(`${origin}/api/internal/health`),
      request(`${origin}/static`),
    ]);
    expect(users.traceContext).toBeDefined();
    expect(health.body).toBe('healthy');
    expect(health.serverTiming).toBeNull();
    expect(outside.body).toBe('static');
    expect(outside.serverTiming).toBeNull();
    expect(seen.sort()).toEqual(['/internal/health', '/users']);
  });

  it('passes the Express req to crossOrigin', async () => {
    const app = suite.majors[major]!();
    app.use(
      serverTiming({
        crossOrigin: (req) => (req.get('origin') === 'https://app.example' ? req.get('origin') : false),
      }),
    );
    app.get('/', (_req, res) => res.send('ok'));
    const origin = await serve(app);
    const allowed = await request(origin, { headers: { origin: 'https://app.example' } });
    expect(allowed.headers.get('timing-allow-origin')).toBe('https://app.example');
    const other = await request(origin, { headers: { origin: 'https://other.example' } });
    expect(other.headers.get('timing-allow-origin')).toBeNull();
    expect(other.traceContext).toBeDefined();
  });

  testResponsesFromOtherContexts(suite, () => (handler) => {
    const app = suite.majors[major]!();
    app.use(serverTiming());
    app.use((req, res) => handler(req.path, (body) => res.send(body)));
    return serve(app);
  });

  it('is traced by instrumentation-express on its first request only, keeping the route name', async () => {
    const express = suite.majors[major]!;
    const app = express();
    const api = express.Router();
    app.use(serverTiming());
    api.use(serverTiming());
    api.get('/users/:id', (_req, res) => {
      res.serverTiming.add({ name: 'own', duration: 1 });
      res.send('user');
    });
    app.use('/api', api);
    const origin = await serve(app);
    const ownSpansOf = async (response: Awaited<ReturnType<typeof request>>) => {
      const root = await waitForExportedSpan(suite.tracing, response.traceContext!.spanId);
      expect(root.attributes['http.route']).toBe('/api/users/:id');
      const spans = await waitForSettledRequest(suite.tracing, root.spanContext().spanId);
      expect(spans.some((span) => span.attributes['express.type'] === 'request_handler')).toBe(true);
      return spans.filter((span) => span.name.endsWith('serverTimingMiddleware')).length;
    };
    const first = await request(`${origin}/api/users/1`);
    expect(await ownSpansOf(first)).toBe(2);
    for (const id of [2, 3]) {
      const later = await request(`${origin}/api/users/${id}`);
      expect(later.body).toBe('user');
      expect(later.metrics.find((entry) => entry.name === 'own')?.duration).toBe(1);
      expect(await ownSpansOf(later)).toBe(0);
    }
  });

  it('stays traced where mounted at a path, whose name instrumentation-express keeps for the route', async () => {
    const app = suite.majors[major]!();
    app.use('/api', serverTiming());
    app.get('/api/users/:id', (_req, res) => res.send('user'));
    const origin = await serve(app);
    for (const id of [1, 2]) {
      const response = await request(`${origin}/api/users/${id}`);
      const root = await waitForExportedSpan(suite.tracing, response.traceContext!.spanId);
      expect(root.attributes['http.route']).toBe('/api/users/:id');
    }
  });
});

describe('express 5 under load', () => {
  testIsolationUnderLoad(suite, () => driver('express 5'));
});
