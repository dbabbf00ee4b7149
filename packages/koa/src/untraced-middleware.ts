/**
 * instrumentation-koa wraps every middleware given to `app.use` in a function that makes a span of each
 * call. For the Server-Timing middleware that span would only time this library (core's mapping leaves
 * it out of the header anyway), and being traced is most of what a middleware costs a request. Unlike
 * Express's, Koa's wrapper keeps no reference to the function it wraps, and Koa composes its middleware
 * once, so the wrapper cannot be taken off later.
 *
 * The instrumentation leaves alone, unwrapped, the middleware whose `constructor.name` says it is a
 * generator function (`GeneratorFunction`, `AsyncGeneratorFunction`: it cannot trace those). Neither Koa
 * (`is-generator-function` in Koa 2 reads the prototype chain and the source text) nor koa-compose read
 * `constructor`, so the middleware is given an own `constructor` named like that: instrumentation-koa then
 * passes it through, and everything else still sees an async function.
 */
const UNTRACED_CONSTRUCTOR = Object.freeze({ name: 'AsyncGeneratorFunction' });

/** Returns `middleware`, marked so that instrumentation-koa does not wrap it in a span. */
export function untracedMiddleware<T extends (...args: never[]) => unknown>(middleware: T): T {
  Object.defineProperty(middleware, 'constructor', { value: UNTRACED_CONSTRUCTOR });
  return middleware;
}
