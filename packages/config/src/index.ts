export { ConfigSchema, type Config } from './schema.js';
export { loadConfig, configKeys, describeAccepted, retiredVariableWarnings } from './load-config.js';
export { ConfigError } from './config-error.js';
export { valueFromText, textValueForm, TEXT_VALUE_FORMS, type TextValueKind } from './text-value.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
