export * from './errors';
export * from './model';
export * from './permissions';
export * from './calls';
export * from './events';
export * from './wire';
export * from './payment-model';
export * from './device-model';
