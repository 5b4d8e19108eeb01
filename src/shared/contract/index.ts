export * from './channel-names';
export * from './contract';
