export type { TimedResponse } from './client.js';
export { metric, readTimedResponse, request } from './client.js';
export { testConsumers } from './consumer.js';
export type { AdapterDriver, Route, RouteTools } from './contract.js';
export { testAdapterContract, testIsolationUnderLoad } from './contract.js';
export { closeServer } from './downstream.js';
export {
  expectedDurations,
  expectHeaderMatchesSpans,
  listenOnLoopback,
  metricsByName,
  serverSpans,
  sleep,
  timedSpan,
  useTracing,
} from './fetch-tracing.js';
export { listen } from './listen.js';
export type { Respond, ServeRespondingLater } from './other-contexts.js';
export { testResponsesFromOtherContexts } from './other-contexts.js';
export type { LevelName } from './privacy-contract.js';
export {
  anyDescribed,
  headerOfFrameworkRequest,
  LEVEL_SHAPES,
  levelFromHeader,
  levelShape,
  testPrivacyLevels,
} from './privacy-contract.js';
export { requestSpans, unionDuration } from './spans.js';
export type { AdapterSuite } from './suite.js';
export { setUpAdapterSuite } from './suite.js';
export type { TestSdk, Tracing } from './tracing.js';
export { startTestSdk } from './tracing.js';
