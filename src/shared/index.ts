export * from './domain';
export * from './errors';
export * from './protocol';
export * from './api';
export * from './host-api';
export * from './telephony';
export * from './email';
export * from './channels';
