import type { MachineState } from '../machine-event.js';

/**
 * Kerf state from the two OPC 40001 Machinery state machines, given the BrowseName of each current state
 * (the language-independent name of the state object CurrentState/Id points to).
 *
 * MachineryItemState says whether the machine works; MachineryOperationMode says why it does or does not:
 *   NotAvailable                      -> offline  (no information from the machine)
 *   OutOfService + Maintenance        -> stopped  (taken out of production on purpose)
 *   OutOfService otherwise            -> alarm    (not functional as intended: a fault)
 *   Executing/NotExecuting + Setup    -> setup
 *   NotExecuting + Maintenance        -> stopped
 *   Executing otherwise               -> running
 *   NotExecuting otherwise            -> idle
 * Unknown item state names give null (nothing is emitted rather than a guess); an unknown or missing
 * operation mode counts as Processing/None, whose mapping is the same.
 */
export function machineryToMachineState(itemState: string | null, operationMode: string | null): MachineState | null {
  switch (itemState) {
    case 'NotAvailable':
      return 'offline';
    case 'OutOfService':
      return operationMode === 'Maintenance' ? 'stopped' : 'alarm';
    case 'Executing':
      return operationMode === 'Setup' ? 'setup' : 'running';
    case 'NotExecuting':
      if (operationMode === 'Setup') return 'setup';
      return operationMode === 'Maintenance' ? 'stopped' : 'idle';
    default:
      return null;
  }
}
