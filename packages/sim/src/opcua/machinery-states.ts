import type { MachineState } from '@kerf/connectors';

/** States of OPC 40001-1 MachineryItemState_StateMachineType, by BrowseName. */
export type MachineryItemState = 'NotAvailable' | 'OutOfService' | 'NotExecuting' | 'Executing';

/** States of OPC 40001-1 MachineryOperationModeStateMachineType, by BrowseName. */
export type MachineryOperationMode = 'None' | 'Maintenance' | 'Setup' | 'Processing';

/**
 * How the simulator shows a Kerf state through the two Machinery state machines. It is the inverse of the
 * client's `machineryToMachineState` (packages/connectors/src/opcua/machinery-state.ts), so every Kerf state
 * survives a round trip: alarm is "out of service while processing", stopped is "out of service for maintenance".
 */
export const MACHINERY_STATES_FOR: Readonly<
  Record<MachineState, { itemState: MachineryItemState; operationMode: MachineryOperationMode }>
> = {
  running: { itemState: 'Executing', operationMode: 'Processing' },
  idle: { itemState: 'NotExecuting', operationMode: 'Processing' },
  setup: { itemState: 'NotExecuting', operationMode: 'Setup' },
  alarm: { itemState: 'OutOfService', operationMode: 'Processing' },
  stopped: { itemState: 'OutOfService', operationMode: 'Maintenance' },
  offline: { itemState: 'NotAvailable', operationMode: 'None' },
};
