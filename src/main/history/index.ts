export { openHistoryStore } from './store';
export type { HistoryQueryResult, HistoryRecovery, HistoryStore, OpenHistoryOptions } from './store';
