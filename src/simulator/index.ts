export { DEMO_ACCOUNT, DEFAULT_PAYMENT_METHODS, startSimulator } from './server';
export { SimulatorControlError } from './state';
export type {
  Fault,
  PaymentTransaction,
  RequestRecord,
  RunningSimulator,
  SimulatorAccount,
  SimulatorControl,
  SimulatorOptions,
  SimulatorStats,
  SmartTransaction,
  SmartTransactionLike,
} from './types';
