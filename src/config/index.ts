export { BINDINGS, type Binding } from './bindings.ts';
export { parseDurationMs } from './duration.ts';
export {
  type ConfigLayer,
  envLayer,
  flagLayer,
  loadConfig,
  readYamlFile,
  resolveConfig,
} from './load-config.ts';
export { maskSecrets } from './mask.ts';
export { formatEffectiveConfig, saveEffectiveConfig } from './save-config.ts';
export { type Config, type ConfigInput, configSchema } from './schema.ts';
