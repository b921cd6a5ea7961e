import type {
  IAddressSpace as AddressSpace,
  INamespace as Namespace,
  UAObject,
  UAObjectType,
  UAVariable,
} from 'node-opcua-address-space-base';
import { NodeClass } from 'node-opcua-data-model';
import { StatusCodes } from 'node-opcua-status-code';
import { DataType } from 'node-opcua-variant';
import type { MachineryItemState, MachineryOperationMode } from './machinery-states.js';

export const MACHINERY_NAMESPACE_URI = 'http://opcfoundation.org/UA/Machinery/';

/** The variables the simulator writes for one machine. */
export interface MachineNodes {
  itemState: StateMachineNodes;
  operationMode: StateMachineNodes;
  partCount: UAVariable;
  cycleTime: UAVariable;
  program: UAVariable;
  activeAlarms: UAVariable;
}

/** CurrentState and its Id of one instantiated Machinery state machine, plus the type's state objects. */
export interface StateMachineNodes {
  currentState: UAVariable;
  currentStateId: UAVariable;
  currentStateNumber: UAVariable | null;
  states: ReadonlyMap<string, { nodeId: UAObject['nodeId']; displayName: string; number: number }>;
}

/**
 * Builds one machine under Objects/Machines (the Machinery entry point), shaped after OPC 40001 / 40501:
 *
 *   <machineId>/Identification/{Manufacturer, Model, SerialNumber, ProductInstanceUri, AssetId}
 *   <machineId>/Monitoring/MachineryItemState        (Machinery MachineryItemState_StateMachineType)
 *   <machineId>/Monitoring/MachineryOperationMode    (Machinery MachineryOperationModeStateMachineType)
 *   <machineId>/Monitoring/CycleTime                 (Double, seconds of the last cycle)
 *   <machineId>/Production/ActiveProgram/Name        (String)
 *   <machineId>/Production/Statistics/PartsProducedInLifetime (UInt32)
 *   <machineId>/Notification/ActiveAlarms            (String[]: one JSON {code, severity, message} per alarm)
 *
 * The machine's own nodes live in the simulator namespace with string NodeIds derived from the machine id, so
 * a restart gives the same ids; the state machines are typed by the Machinery nodeset (browse names in the
 * Machinery namespace, CurrentState/Id in namespace 0), as a real Machinery server would expose them.
 */
export function addMachineNodes(
  addressSpace: AddressSpace,
  namespace: Namespace,
  machine: { machineId: string; name: string },
): MachineNodes {
  const machineryIndex = addressSpace.getNamespaceIndex(MACHINERY_NAMESPACE_URI);
  const machines = addressSpace.findNode(`ns=${machineryIndex};i=1001`) as UAObject | null;
  if (!machines) throw new Error('the Machinery nodeset is not loaded: Objects/Machines is missing');
  const id = machine.machineId;
  const nodeId = (suffix: string): string => `s=${id}${suffix}`;

  const root = namespace.addObject({
    browseName: id,
    nodeId: nodeId(''),
    displayName: machine.name,
    organizedBy: machines,
  });

  const identification = namespace.addObject({
    browseName: 'Identification',
    nodeId: nodeId('.Identification'),
    componentOf: root,
  });
  const identity: Record<string, string> = {
    Manufacturer: 'Kerf simulator',
    Model: machine.name,
    SerialNumber: id,
    ProductInstanceUri: `urn:kerf:sim:${id}`,
    AssetId: id,
  };
  for (const [name, value] of Object.entries(identity)) {
    namespace.addVariable({
      browseName: name,
      nodeId: nodeId(`.Identification.${name}`),
      propertyOf: identification,
      dataType: 'String',
      value: { dataType: DataType.String, value },
    });
  }

  const monitoring = namespace.addObject({
    browseName: 'Monitoring',
    nodeId: nodeId('.Monitoring'),
    componentOf: root,
  });
  const itemState = addStateMachine(addressSpace, namespace, monitoring, machineryIndex, {
    typeName: 'MachineryItemState_StateMachineType',
    browseName: 'MachineryItemState',
    nodeId: `ns=${namespace.index};${nodeId('.Monitoring.MachineryItemState')}`,
  });
  const operationMode = addStateMachine(addressSpace, namespace, monitoring, machineryIndex, {
    typeName: 'MachineryOperationModeStateMachineType',
    browseName: 'MachineryOperationMode',
    nodeId: `ns=${namespace.index};${nodeId('.Monitoring.MachineryOperationMode')}`,
  });
  const cycleTime = namespace.addVariable({
    browseName: 'CycleTime',
    minimumSamplingInterval: 0,
    nodeId: nodeId('.Monitoring.CycleTime'),
    componentOf: monitoring,
    dataType: 'Double',
    description: 'duration of the last machine cycle in seconds',
  });

  const production = namespace.addObject({
    browseName: 'Production',
    nodeId: nodeId('.Production'),
    componentOf: root,
  });
  const activeProgram = namespace.addObject({
    browseName: 'ActiveProgram',
    nodeId: nodeId('.Production.ActiveProgram'),
    componentOf: production,
  });
  const program = namespace.addVariable({
    browseName: 'Name',
    minimumSamplingInterval: 0,
    nodeId: nodeId('.Production.ActiveProgram.Name'),
    componentOf: activeProgram,
    dataType: 'String',
  });
  const statistics = namespace.addObject({
    browseName: 'Statistics',
    nodeId: nodeId('.Production.Statistics'),
    componentOf: production,
  });
  const partCount = namespace.addVariable({
    browseName: 'PartsProducedInLifetime',
    minimumSamplingInterval: 0,
    nodeId: nodeId('.Production.Statistics.PartsProducedInLifetime'),
    componentOf: statistics,
    dataType: 'UInt32',
  });

  const notification = namespace.addObject({
    browseName: 'Notification',
    nodeId: nodeId('.Notification'),
    componentOf: root,
  });
  const activeAlarms = namespace.addVariable({
    browseName: 'ActiveAlarms',
    minimumSamplingInterval: 0,
    nodeId: nodeId('.Notification.ActiveAlarms'),
    componentOf: notification,
    dataType: 'String',
    valueRank: 1,
    arrayDimensions: [0],
    description: 'active alarms, one JSON object {code, severity, message} per element',
  });

  return { itemState, operationMode, partCount, cycleTime, program, activeAlarms };
}

function addStateMachine(
  addressSpace: AddressSpace,
  namespace: Namespace,
  parent: UAObject,
  machineryIndex: number,
  options: { typeName: string; browseName: string; nodeId: string },
): StateMachineNodes {
  const type: UAObjectType | null = addressSpace.findObjectType(options.typeName, machineryIndex);
  if (!type) throw new Error(`the Machinery nodeset has no ${options.typeName}`);
  const instance = type.instantiate({
    browseName: { name: options.browseName, namespaceIndex: machineryIndex },
    nodeId: options.nodeId,
    namespace,
    componentOf: parent,
  });
  const currentState = instance.getComponentByName('CurrentState') as UAVariable | null;
  const currentStateId = currentState?.getPropertyByName('Id') ?? null;
  if (!currentState || !currentStateId) throw new Error(`${options.typeName} instance lacks CurrentState/Id`);
  const currentStateNumber = currentState.getPropertyByName('Number');
  for (const variable of [currentState, currentStateId, currentStateNumber]) {
    if (variable) variable.minimumSamplingInterval = 0;
  }

  const states = new Map<string, { nodeId: UAObject['nodeId']; displayName: string; number: number }>();
  for (const component of type.getComponents()) {
    if (component.nodeClass !== NodeClass.Object) continue;
    const stateNumber = (component as UAObject).getPropertyByName('StateNumber');
    if (!stateNumber) continue;
    const number = Number(stateNumber.readValue().value.value);
    states.set(component.browseName.name ?? '', {
      nodeId: component.nodeId,
      displayName: component.displayName[0]?.text ?? component.browseName.name ?? '',
      number,
    });
  }
  return {
    currentState,
    currentStateId,
    currentStateNumber,
    states,
  };
}

/** Writes a state the way a Machinery server does: the display text, the state's NodeId and number, one timestamp. */
export function writeState(
  machine: StateMachineNodes,
  state: MachineryItemState | MachineryOperationMode,
  at: Date,
): void {
  const target = machine.states.get(state);
  if (!target) throw new Error(`unknown state ${state}`);
  // Id first: a client that maps by Id sees the new state no later than the text.
  machine.currentStateId.setValueFromSource({ dataType: DataType.NodeId, value: target.nodeId }, StatusCodes.Good, at);
  machine.currentStateNumber?.setValueFromSource(
    { dataType: DataType.UInt32, value: target.number },
    StatusCodes.Good,
    at,
  );
  machine.currentState.setValueFromSource(
    { dataType: DataType.LocalizedText, value: { text: target.displayName } },
    StatusCodes.Good,
    at,
  );
}
