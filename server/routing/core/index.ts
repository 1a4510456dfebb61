/** The routing core's public surface: the engine, its config and snapshot formats, Erlang C. */
export { RoutingEngine, type NewWorkItem, type RoutingEngineOptions } from './routing-engine';
export {
  DEFAULT_CAPACITY_COST,
  parseRoutingConfig,
  RoutingConfigSchema,
  validateRoutingConfig,
  type ConfigIssue,
  type RoutingConfigInput,
  type ValidateOptions,
} from './config';
export { RoutingSnapshotSchema, type RoutingSnapshot } from './snapshot';
export { RoutingError, type RoutingErrorReason } from './routing-error';
export * from './erlang-c';
export type * from './types';
