import { context, diag, trace } from '@opentelemetry/api';
import { markOwnWork, type RequestTarget } from '@otel-server-timing/core';
import type { ResponseServerTiming } from '@otel-server-timing/node';
import { AdapterServerTiming } from '@otel-server-timing/node/internal';
import type { Context, Middleware, Next } from 'koa';
import { KoaResponseTiming } from './koa-response-timing.js';
import type { KoaServerTimingOptions } from './types.js';
import { untracedMiddleware } from './untraced-middleware.js';

const OWNER = '@otel-server-timing/koa';

/**
 * Koa (2 and 3) middleware that writes each request's OpenTelemetry timings into the `Server-Timing`
 * response header at the response's first byte: the finished child spans (database, outgoing HTTP,
 * middleware…), `total`, and the server span's `traceparent`. Mount it first (`app.use(serverTiming())`).
 * Handlers add their own metrics with `ctx.serverTiming.add(...)`; a route opts out with
 * `ctx.serverTiming.skip()` or `ctx.state.serverTiming = false`.
 *
 * It decides after the downstream middleware ran, just before Koa sends the response; a response whose
 * headers a handler sent itself before that (`ctx.res.writeHead`, `ctx.flushHeaders()`) gets no timings.
 * Throws a `TypeError` saying what to fix when an option is invalid; never throws on a request.
 */
export function serverTiming(options?: KoaServerTimingOptions): Middleware {
  const timing = new AdapterServerTiming<Context>(options, { owner: OWNER });

  /** Attaches the response once the downstream middleware ran, unless the request opted out. */
  function attachAfterDownstream(
    ctx: Context,
    responseTiming: KoaResponseTiming,
    target: RequestTarget,
  ): void {
    let handle: ResponseServerTiming | undefined;
    try {
      if (ctx.state?.serverTiming !== false && !responseTiming.skipped) {
        handle = timing.attach(ctx, ctx.req, ctx.res, target);
      }
    } catch (error) {
      diag.error(`${OWNER}: could not attach Server-Timing to a response`, error);
    }
    responseTiming.attached(handle);
  }

  // Where something still makes a span of this middleware (an instrumentation other than
  // instrumentation-koa, or a version that ignores the mark), that span times this library.
  // Not an async function: `await` inside one costs a second promise (and, under OpenTelemetry's
  // context manager, that promise's async hooks) on every request; one `then` does the same work.
  return untracedMiddleware(function serverTimingMiddleware(ctx: Context, next: Next): Promise<void> {
    // The request the middleware runs in, read once: its span (the context when there is none), which
    // the processor then need not look up in the context again at each call.
    const active = context.active();
    const span = trace.getSpan(active);
    markOwnWork(span);
    const target: RequestTarget = span ?? active;
    const responseTiming = new KoaResponseTiming();
    ctx.serverTiming = responseTiming;
    let downstream: Promise<unknown>;
    try {
      // `Promise.resolve` returns koa-compose's promise itself; another composer's value gets wrapped.
      downstream = Promise.resolve(next());
    } catch (error) {
      // koa-compose turns a throw into a rejection; another composer might not.
      attachAfterDownstream(ctx, responseTiming, target);
      return Promise.reject(error);
    }
    return downstream.then(
      () => attachAfterDownstream(ctx, responseTiming, target),
      (error: unknown) => {
        attachAfterDownstream(ctx, responseTiming, target);
        throw error;
      },
    );
  });
}
