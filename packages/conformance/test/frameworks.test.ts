import type { IncomingMessage, ServerResponse } from 'node:http';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusCase, compareHeader } from '../src/check.js';
import { CORPUS } from '../src/corpus.js';
import { type CorpusSdk, startCorpusSdk } from '../src/sdk.js';
import { fetchServerTiming, listen } from '../src/serve.js';

/**
 * Web frameworks, outgoing calls and RPC: each app answers a real request on 127.0.0.1 by calling
 * another local service once (over HTTP, or gRPC), under every default auto-instrumentation plus
 * `@fastify/otel`. The work is one outgoing call; the framework's own layers may show as `middleware`
 * and `handler` (their own time), never twice and never as a copy of `total`.
 */

const sdk: CorpusSdk = startCorpusSdk([new FastifyOtelInstrumentation({ registerOnInitialization: true })]);
const require = sdk.require;
const closers: (() => Promise<unknown> | unknown)[] = [];
/** Another service this process calls; its own requests are other traces' roots. */
let downstream = '';

/** The one outgoing call each app makes: Node's global fetch (undici). */
async function callDownstream(): Promise<void> {
  const response = await fetch(`${downstream}/data?token=secret`);
  await response.text();
}

beforeAll(async () => {
  const { createServer } = require('node:http') as typeof import('node:http');
  const listening = await listen(createServer((_request, response) => response.end('data')));
  downstream = listening.origin.replace('127.0.0.1', 'localhost');
  closers.push(() => listening.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
  await sdk.shutdown();
});

async function expectTruth(url: string, corpusCase: CorpusCase, status = 200): Promise<string> {
  await fetchServerTiming(url, () => sdk.exporter.getFinishedSpans());
  sdk.exporter.reset();
  const response = await fetchServerTiming(url, () => sdk.exporter.getFinishedSpans());
  expect(response.status, response.header).toBe(status);
  const problems = compareHeader(corpusCase, response.header, sdk.exporter.getFinishedSpans());
  if (process.env.DUMP && problems.length > 0) {
    const spans = sdk.exporter.getFinishedSpans();
    const t0 = Math.min(...spans.map((span) => span.startTime[0] * 1e3 + span.startTime[1] / 1e6));
    for (const span of spans)
      console.log(
        span.kind,
        span.name,
        span.spanContext().spanId,
        span.parentSpanContext?.spanId,
        (span.startTime[0] * 1e3 + span.startTime[1] / 1e6 - t0).toFixed(3),
        (
          span.startTime[0] * 1e3 +
          span.startTime[1] / 1e6 -
          t0 +
          span.duration[0] * 1e3 +
          span.duration[1] / 1e6
        ).toFixed(3),
        span.instrumentationScope.name,
      );
  }
  expect(problems.join('\n\n')).toBe('');
  return response.header;
}

/** A plain node:http app whose route runs `work`. */
async function plainApp(work: () => Promise<void>): Promise<string> {
  const { createServer } = require('node:http') as typeof import('node:http');
  const listening = await listen(
    createServer((_request: IncomingMessage, response: ServerResponse) => {
      work().then(
        () => response.end('ok'),
        (error) => response.writeHead(500).end(String(error)),
      );
    }),
  );
  closers.push(() => listening.close());
  return listening.origin;
}

describe('outgoing calls', () => {
  it('http: an http.get is one http metric; its dns lookup and tcp connect are part of it', async () => {
    const http = require('node:http') as typeof import('node:http');
    const origin = await plainApp(
      () =>
        new Promise<void>((resolve, reject) => {
          http
            .get(`${downstream}/data?token=secret`, { agent: false }, (response) => {
              response.resume();
              response.on('end', resolve);
            })
            .on('error', reject);
        }),
    );
    await expectTruth(`${origin}/`, CORPUS.http);
  });

  it('undici: a fetch is one http metric', async () => {
    const origin = await plainApp(callDownstream);
    await expectTruth(`${origin}/`, CORPUS.undici);
  });

  it('grpc: a unary call to a local @grpc/grpc-js server is one rpc metric', async () => {
    const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
    const json = {
      serialize: (value: unknown) => Buffer.from(JSON.stringify(value)),
      deserialize: (buffer: Buffer) => JSON.parse(String(buffer)) as unknown,
    };
    const service = {
      getUser: {
        path: '/corpus.Users/GetUser',
        requestStream: false,
        responseStream: false,
        requestSerialize: json.serialize,
        requestDeserialize: json.deserialize,
        responseSerialize: json.serialize,
        responseDeserialize: json.deserialize,
      },
    } satisfies import('@grpc/grpc-js').ServiceDefinition;
    const server = new grpc.Server();
    server.addService(service, {
      getUser: (_call: unknown, callback: (error: null, value: unknown) => void) =>
        callback(null, { name: 'Ada' }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    closers.push(() => server.forceShutdown());
    const Client = grpc.makeGenericClientConstructor(service, 'Users');
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as {
      getUser(request: unknown, callback: (error: unknown) => void): void;
      close(): void;
    };
    closers.push(() => client.close());
    const origin = await plainApp(
      () =>
        new Promise<void>((resolve, reject) =>
          client.getUser({ id: 42 }, (error) => (error ? reject(error) : resolve())),
        ),
    );
    await expectTruth(`${origin}/`, CORPUS.grpc);
  });
});

describe('web frameworks', () => {
  it('express + router (Express 5): layers by type attribute, the adapter out of the router, errors too', async () => {
    const express = require('express') as typeof import('express');
    const { serverTiming } =
      require('@otel-server-timing/express') as typeof import('@otel-server-timing/express');
    const app = express();
    app.use(serverTiming());
    app.use(express.json());
    app.use(function audit(_request, _response, next) {
      next();
    });
    const router = express.Router();
    router.get('/work', async (_request, response) => {
      await callDownstream();
      response.send('ok');
    });
    router.get('/boom', async () => {
      await callDownstream();
      throw new Error('boom');
    });
    app.use(router);
    const listening = await listen(require('node:http').createServer(app));
    closers.push(() => listening.close());
    await expectTruth(`${listening.origin}/work`, CORPUS.express);
    const spans = sdk.exporter.getFinishedSpans();
    expect(
      spans.some((span) => span.attributes['router.type'] !== undefined),
      'instrumentation-router ran',
    ).toBe(true);
    // The adapter is the app's first layer: after its first request it leaves the router (attaching at the
    // router's entry), so the compared request has no span of it to leave out.
    expect(
      spans.some((span) => span.name.endsWith('serverTimingMiddleware')),
      "no span of the adapter's",
    ).toBe(false);
    await expectTruth(`${listening.origin}/boom`, CORPUS.express, 500);
  });

  it('connect: middleware and handler as layers', async () => {
    const connect = require('connect') as typeof import('connect');
    const app = connect();
    app.use(function audit(_request: IncomingMessage, _response: ServerResponse, next: () => void) {
      next();
    });
    app.use('/work', (_request: IncomingMessage, response: ServerResponse) => {
      callDownstream().then(
        () => response.end('ok'),
        (error) => response.writeHead(500).end(String(error)),
      );
    });
    const listening = await listen(require('node:http').createServer(app));
    closers.push(() => listening.close());
    await expectTruth(`${listening.origin}/work`, CORPUS.connect);
  });

  it('restify: its handlers as layers', async () => {
    const restify = require('restify') as {
      createServer(): {
        pre(handler: (request: unknown, response: unknown, next: () => void) => void): void;
        use(handler: (request: unknown, response: unknown, next: () => void) => void): void;
        get(
          path: string,
          handler: (request: unknown, response: { send(body: string): void }) => Promise<void>,
        ): void;
        listen(port: number, host: string, callback: () => void): void;
        close(callback: () => void): void;
        address(): import('node:net').AddressInfo;
      };
    };
    const server = restify.createServer();
    server.pre((_request, _response, next) => next());
    server.use(function audit(_request, _response, next) {
      next();
    });
    server.get('/work', async (_request, response) => {
      await callDownstream();
      response.send('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve(undefined))));
    await expectTruth(`http://127.0.0.1:${server.address().port}/work`, CORPUS.restify);
  });

  it('fastify (@fastify/otel): hooks and handler as layers, the request span and the adapter left out', async () => {
    const Fastify = require('fastify') as typeof import('fastify').default;
    const serverTiming =
      require('@otel-server-timing/fastify') as typeof import('@otel-server-timing/fastify');
    const app = Fastify();
    app.register(serverTiming.default);
    app.addHook('preHandler', async () => {});
    app.get('/work', async () => {
      await callDownstream();
      return 'ok';
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    const address = app.server.address() as import('node:net').AddressInfo;
    await expectTruth(`http://127.0.0.1:${address.port}/work`, CORPUS.fastify);
  });

  it('koa + @koa/router: nested middleware reports its own time, not a copy of total', async () => {
    const Koa = require('koa') as typeof import('koa');
    const Router = require('@koa/router') as typeof import('@koa/router').default;
    const { serverTiming } = require('@otel-server-timing/koa') as typeof import('@otel-server-timing/koa');
    const app = new Koa();
    app.use(serverTiming());
    app.use(async function logger(_context, next) {
      await next();
    });
    const router = new Router();
    router.get('/work', async (context) => {
      await callDownstream();
      context.body = 'ok';
    });
    app.use(router.routes());
    const listening = await listen(require('node:http').createServer(app.callback()));
    closers.push(() => listening.close());
    await expectTruth(`${listening.origin}/work`, CORPUS.koa);
  });

  let nestOrigin = '';

  it('nestjs-core (platform-express): the request-context span is a layer, not an http call', async () => {
    require('reflect-metadata');
    const { Controller, Get, Module, NotFoundException } =
      require('@nestjs/common') as typeof import('@nestjs/common');
    const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
    class UsersController {
      async work(): Promise<string> {
        await callDownstream();
        return 'ok';
      }
      missing(): never {
        throw new NotFoundException();
      }
    }
    for (const route of ['work', 'missing'] as const) {
      Get(route)(
        UsersController.prototype,
        route,
        Object.getOwnPropertyDescriptor(UsersController.prototype, route)!,
      );
    }
    Controller()(UsersController);
    class AppModule {}
    Module({ controllers: [UsersController] })(AppModule);
    const app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    closers.push(() => app.close());
    nestOrigin = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
    await expectTruth(`${nestOrigin}/work`, CORPUS.nestjs);
  });

  it('nestjs-core: a 404 from a controller calls nothing, so it carries no (fake) http metric', async () => {
    expect(nestOrigin, 'the NestJS app of the previous case').not.toBe('');
    await expectTruth(`${nestOrigin}/missing`, { ...CORPUS.nestjs, work: [] }, 404);
  });

  it('hapi: the route handler and the extension points as layers', async () => {
    const Hapi = require('@hapi/hapi') as typeof import('@hapi/hapi');
    const server = Hapi.server({ port: 0, host: '127.0.0.1' });
    server.ext('onPreHandler', (_request, h) => h.continue);
    server.route({
      method: 'GET',
      path: '/work',
      handler: async () => {
        await callDownstream();
        return 'ok';
      },
    });
    await server.start();
    closers.push(() => server.stop());
    await expectTruth(`${server.info.uri}/work`, CORPUS.hapi);
  });

  it('graphql: parse, validate, execute and resolvers are one graphql layer; the call a resolver makes is http', async () => {
    const graphql = require('graphql') as typeof import('graphql');
    const schema = graphql.buildSchema('type User { name: String } type Query { user(id: ID!): User }');
    const rootValue = {
      user: async () => {
        await callDownstream();
        return { name: 'Ada' };
      },
    };
    const origin = await plainApp(async () => {
      const result = await graphql.graphql({ schema, rootValue, source: '{ user(id: "42") { name } }' });
      if (result.errors !== undefined) throw new Error(String(result.errors));
    });
    await expectTruth(`${origin}/`, CORPUS.graphql);
  });
});
