export * from './processes';
export * from './servers';
export * from './infra';
export * from './database';
export * from './session';
export * from './factories';
export * from './logs';
export * from './memory-bus';
