// Orchestration: bring inference servers up and down with Docker Compose.
export { COMPOSE_V1, COMPOSE_V2, type ComposeTool, detectCompose } from './compose-cli.ts';
export { type DownResult, launchDown } from './launch-down.ts';
export { launchLogs } from './launch-logs.ts';
export { formatStatus, launchStatus } from './launch-status.ts';
export { type LaunchOptions, type LaunchResult, launchUp } from './launch-up.ts';
export { planStack, type StackPlan } from './plan.ts';
