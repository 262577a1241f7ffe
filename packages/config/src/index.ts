export { ConfigSchema, type Config } from './schema.js';
export { loadConfig, configKeys, describeAccepted, retiredVariableWarnings } from './load-config.js';
export { ConfigError } from './config-error.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
