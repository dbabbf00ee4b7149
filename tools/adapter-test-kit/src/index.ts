export { waitForExportedSpan, waitForSettledRequest } from './checks.js';
export type { TimedResponse } from './client.js';
export { metric, readTimedResponse, request } from './client.js';
export { testConsumers } from './consumer.js';
export type { AdapterDriver, Route, RouteTools } from './contract.js';
export { testAdapterContract, testEntryPointContract, testIsolationUnderLoad } from './contract.js';
// The Fetch-API suites' helpers (fetch, hono): the SDK per file, timed spans, header-against-spans checks.
export * from './fetch-tracing.js';
export { closeServer, listen } from './listen.js';
export type { Respond, ServeRespondingLater } from './other-contexts.js';
export { testResponsesFromOtherContexts } from './other-contexts.js';
export { waitFor } from './poll.js';
export type { LevelName } from './privacy-contract.js';
export {
  anyDescribed,
  headerOfFrameworkRequest,
  LEVEL_SHAPES,
  levelFromHeader,
  levelShape,
  testPrivacyLevels,
} from './privacy-contract.js';
export type { FetchApp, Served } from './served.js';
export { send } from './served.js';
export { requestSpans, settledRequestSpans, unionDuration, unionOfSpans } from './spans.js';
export type { AdapterSuite } from './suite.js';
export { setUpAdapterSuite } from './suite.js';
export type { TestSdk, Tracing } from './tracing.js';
export { startTestSdk } from './tracing.js';
