/** TanStack Query hooks over the API; reference data is cached for a minute. */
import { useQuery } from '@tanstack/react-query';
import { client, getAll, ok } from './client';

const MINUTE = 60_000;

export const useMe = (enabled: boolean) =>
  useQuery({ queryKey: ['me'], queryFn: () => ok(client.GET('/api/v1/auth/me')), enabled, retry: false });
export const useDepartments = () =>
  useQuery({
    queryKey: ['departments'],
    queryFn: () => getAll((query) => client.GET('/api/v1/departments', { params: { query } })),
    staleTime: MINUTE,
  });
export const useWorkCenters = () =>
  useQuery({
    queryKey: ['work-centers'],
    queryFn: () => getAll((query) => client.GET('/api/v1/work-centers', { params: { query } })),
    staleTime: MINUTE,
  });
export const useShifts = () =>
  useQuery({
    queryKey: ['shift-calendars'],
    queryFn: () => getAll((query) => client.GET('/api/v1/shift-calendars', { params: { query } })),
    staleTime: MINUTE,
  });
export const useExceptions = () =>
  useQuery({
    queryKey: ['calendar-exceptions'],
    queryFn: () => getAll((query) => client.GET('/api/v1/calendar-exceptions', { params: { query } })),
    staleTime: MINUTE,
  });
export const useJobs = () =>
  useQuery({
    queryKey: ['jobs'],
    queryFn: () => getAll((query) => client.GET('/api/v1/jobs', { params: { query } })),
    staleTime: MINUTE,
  });

/** Slots overlapping [from, to), every page. */
export const useSlots = (from: Date, to: Date, extra: { workCenterId?: string; jobId?: string } = {}) =>
  useQuery({
    queryKey: ['schedule-slots', from.toISOString(), to.toISOString(), extra],
    queryFn: () =>
      getAll((page) =>
        client.GET('/api/v1/schedule-slots', {
          params: { query: { from: from.toISOString(), to: to.toISOString(), ...extra, ...page } },
        }),
      ),
    staleTime: 15_000,
  });

export const useShopSettings = (enabled: boolean) =>
  useQuery({
    queryKey: ['shop-settings'],
    queryFn: () => ok(client.GET('/api/v1/shop-settings')),
    enabled,
    staleTime: Infinity,
  });
export const useCustomers = (enabled = true) =>
  useQuery({
    queryKey: ['customers'],
    queryFn: () => getAll((query) => client.GET('/api/v1/customers', { params: { query } })),
    staleTime: MINUTE,
    enabled,
  });
/** Routing steps of open jobs: setup, run time, setup category and predecessors for the Gantt. */
export const useRoutingSteps = (enabled = true) =>
  useQuery({
    queryKey: ['routing-steps'],
    queryFn: () =>
      getAll((page) => client.GET('/api/v1/routing-steps', { params: { query: { open: true, ...page } } })),
    staleTime: MINUTE,
    enabled,
  });
