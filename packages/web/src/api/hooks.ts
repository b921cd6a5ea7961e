/** TanStack Query hooks over the API; reference data is cached for a minute. */
import { useQuery } from '@tanstack/react-query';
import { get, getAll } from './client';
import type {
  CalendarException,
  Customer,
  Department,
  Job,
  Me,
  RoutingStep,
  Shift,
  ShopSettings,
  Slot,
  WorkCenter,
} from './types';

const MINUTE = 60_000;

export const useMe = (enabled: boolean) =>
  useQuery({ queryKey: ['me'], queryFn: () => get<Me>('/auth/me'), enabled, retry: false });
export const useDepartments = () =>
  useQuery({ queryKey: ['departments'], queryFn: () => getAll<Department>('/departments'), staleTime: MINUTE });
export const useWorkCenters = () =>
  useQuery({ queryKey: ['work-centers'], queryFn: () => getAll<WorkCenter>('/work-centers'), staleTime: MINUTE });
export const useShifts = () =>
  useQuery({ queryKey: ['shift-calendars'], queryFn: () => getAll<Shift>('/shift-calendars'), staleTime: MINUTE });
export const useExceptions = () =>
  useQuery({
    queryKey: ['calendar-exceptions'],
    queryFn: () => getAll<CalendarException>('/calendar-exceptions'),
    staleTime: MINUTE,
  });
export const useJobs = () => useQuery({ queryKey: ['jobs'], queryFn: () => getAll<Job>('/jobs'), staleTime: MINUTE });

/** Slots overlapping [from, to), every page. */
export const useSlots = (from: Date, to: Date, extra: Record<string, string> = {}) =>
  useQuery({
    queryKey: ['schedule-slots', from.toISOString(), to.toISOString(), extra],
    queryFn: () => getAll<Slot>('/schedule-slots', { from: from.toISOString(), to: to.toISOString(), ...extra }),
    staleTime: 15_000,
  });

export const useShopSettings = (enabled: boolean) =>
  useQuery({
    queryKey: ['shop-settings'],
    queryFn: () => get<ShopSettings>('/shop-settings'),
    enabled,
    staleTime: Infinity,
  });
export const useCustomers = (enabled = true) =>
  useQuery({ queryKey: ['customers'], queryFn: () => getAll<Customer>('/customers'), staleTime: MINUTE, enabled });
/** Routing steps of open jobs: setup, run time, setup category and predecessors for the Gantt. */
export const useRoutingSteps = (enabled = true) =>
  useQuery({
    queryKey: ['routing-steps'],
    queryFn: () => getAll<RoutingStep>('/routing-steps', { open: 'true' }),
    staleTime: MINUTE,
    enabled,
  });
