export * from './types';
export * from './coverage';
export * from './vendor-presets';
export * from './reseller-copy';
