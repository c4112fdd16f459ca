export * from './profile';
export * from './retry';
export * from './errors';
export * from './routing';
export * from './request';
export * from './pacing';
export * from './files';
