import type { JobInputT } from '../jobs/schemas.js';

/**
 * The demo shop as plain data: each record has the shape the matching API create call
 * accepts, so the loader can hand it to the same services and `kerf demo --json` can
 * write it out unchanged. Jobs name their customer by code because customer ids are
 * only known once the customers are in the database.
 */
export interface DemoDepartment {
  id: string;
  name: string;
  description: string | null;
}

export interface DemoWorkCenter {
  id: string;
  name: string;
  departmentId: string;
  machineType: string;
  capacityMinutesPerShift: number;
  efficiencyFactor: number;
  setupCategory: string | null;
  isBottleneck: boolean;
  isActive: boolean;
  iotDeviceId: string | null;
  sigmanestMachineId: string | null;
}

export interface DemoShift {
  name: string;
  workCenterId: string;
  /** 0 = Monday */
  dayOfWeek: number;
  shiftNumber: number;
  /** HH:MM; an end at or before the start means the shift ends the next day */
  startTime: string;
  endTime: string;
  /** local HH:MM spans not worked, inside the shift */
  breaks?: Array<{ start: string; end: string }>;
}

export interface DemoCalendarException {
  /** null = plant-wide */
  workCenterId: string | null;
  /** YYYY-MM-DD */
  exceptionDate: string;
  exceptionType: 'holiday' | 'maintenance' | 'shutdown';
  description: string | null;
}

export interface DemoCustomer {
  code: string;
  name: string;
  contactEmail: string | null;
  notes: string | null;
}

export interface DemoMaterial {
  code: string;
  description: string | null;
  /** inches */
  thickness: number;
  sheetWidth: number;
  sheetLength: number;
  quantity: number;
  unitCost: number | null;
  location: string | null;
}

export type DemoJob = Omit<JobInputT, 'customerId'> & { customerCode: string };

export interface DemoShop {
  seed: number;
  /** YYYY-MM-DD, the Monday the demo horizon starts on (00:00 UTC) */
  startDate: string;
  departments: DemoDepartment[];
  workCenters: DemoWorkCenter[];
  shifts: DemoShift[];
  exceptions: DemoCalendarException[];
  customers: DemoCustomer[];
  materials: DemoMaterial[];
  jobs: DemoJob[];
}
