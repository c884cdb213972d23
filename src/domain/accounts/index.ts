export * from './types';
export * from './coverage';
export * from './vendor-presets';
