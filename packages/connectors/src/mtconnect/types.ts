/** Parsed MTConnect documents, independent of the schema version (1.1 to 2.x) they came from. */

export type DataItemCategory = 'SAMPLE' | 'EVENT' | 'CONDITION';

export type ConditionLevel = 'NORMAL' | 'WARNING' | 'FAULT' | 'UNAVAILABLE';

/** Header fields shared by every response document; numbers are absent when the agent left them out. */
export interface MTConnectHeader {
  instanceId: string;
  /** Agent software version (e.g. "2.2.0.502"), not the schema version. */
  version?: string;
  sender?: string;
  creationTime?: string;
  bufferSize?: number;
  nextSequence?: number;
  firstSequence?: number;
  lastSequence?: number;
  /** Schema version read from the root namespace (e.g. "2.0"), when the namespace carries one. */
  schemaVersion?: string;
}

export interface MTConnectDataItem {
  id: string;
  name?: string;
  /** Upper snake case, as in the probe: "EXECUTION", "PART_COUNT", "SYSTEM". */
  type: string;
  subType?: string;
  category: DataItemCategory;
  units?: string;
  /** Element name of the component holding it ("Controller", "Path", "Device", ...). */
  componentType: string;
  componentId?: string;
  componentName?: string;
}

export interface MTConnectDevice {
  name: string;
  uuid?: string;
  id?: string;
  /** True for the 2.x `<Agent>` pseudo-device that describes the agent itself. */
  isAgent: boolean;
  dataItems: MTConnectDataItem[];
}

export interface MTConnectDevicesDocument {
  kind: 'devices';
  header: MTConnectHeader;
  devices: MTConnectDevice[];
}

export interface MTConnectObservation {
  deviceName: string;
  deviceUuid?: string;
  componentType?: string;
  componentName?: string;
  componentId?: string;
  category: DataItemCategory;
  /** Element name as sent: "Execution", "PartCount", "Normal", "Fault", ... */
  element: string;
  /** DataItem type in upper snake case ("EXECUTION"); for conditions the `type` attribute ("SYSTEM"). */
  type: string;
  subType?: string;
  dataItemId: string;
  name?: string;
  sequence: number;
  /** ISO 8601 UTC with Z, or null when the agent sent something that is not a time (old templates). */
  timestamp: string | null;
  /** Trimmed text; "" for empty elements; Entry/Cell children (DATA_SET, TABLE) as a JSON object text. */
  value: string;
  /** Only for conditions. */
  level?: ConditionLevel;
  nativeCode?: string;
  nativeSeverity?: string;
  qualifier?: string;
  conditionId?: string;
}

export interface MTConnectStreamsDocument {
  kind: 'streams';
  header: MTConnectHeader;
  /** Every observation of the document, ordered by sequence (ties keep document order). */
  observations: MTConnectObservation[];
  /** Devices that appeared, even with no observations (name -> uuid). */
  devices: { name: string; uuid?: string }[];
}

export interface MTConnectErrorEntry {
  /** errorCode attribute, e.g. "OUT_OF_RANGE", "NO_DEVICE", "INVALID_REQUEST". */
  code: string;
  message: string;
}

export interface MTConnectErrorDocument {
  kind: 'error';
  header: MTConnectHeader;
  errors: MTConnectErrorEntry[];
}

export type MTConnectDocument = MTConnectDevicesDocument | MTConnectStreamsDocument | MTConnectErrorDocument;
