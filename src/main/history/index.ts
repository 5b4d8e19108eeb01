export { openLinkRepository } from './link-repository';
export type { HistoryQueryResult, HistoryRecovery, LinkChange, LinkChangeFn, LinkFields, LinkRepository, OpenLinkRepositoryOptions } from './link-repository';
