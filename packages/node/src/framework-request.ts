import type { NodeServerTimingOptions } from './types.js';

/** The per-request options: functions of the request. */
const PER_REQUEST_OPTIONS = ['enabled', 'crossOrigin', 'descriptions'] as const;

/** The framework request being attached, read by the per-request functions while `attach` runs them. */
export type RequestSlot<TRequest> = { current: TRequest | undefined };

/**
 * The options for `NodeServerTiming` with each per-request function wrapped once, so that it receives
 * the framework's request (`slot.current`, set around `attach`) instead of the `IncomingMessage`.
 * Anything that is not an options object is handed on unchanged, for `NodeServerTiming` to reject.
 */
export function forFrameworkRequests<TRequest>(
  options: object | undefined,
  slot: RequestSlot<TRequest>,
): NodeServerTimingOptions | undefined {
  if (options === null || typeof options !== 'object') return options;
  const adapted: Record<string, unknown> = { ...options };
  for (const name of PER_REQUEST_OPTIONS) {
    const setting = adapted[name];
    if (typeof setting === 'function') adapted[name] = () => setting(slot.current);
  }
  return adapted as NodeServerTimingOptions;
}
