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
export { type SettingMeta, setting, type ValueType } from './setting-meta.ts';
export {
  flagSettings,
  GENERAL_SECTIONS,
  SECTIONS,
  SETTINGS,
  type Section,
  type Setting,
} from './settings.ts';
