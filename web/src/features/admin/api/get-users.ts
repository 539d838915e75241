import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { pageOf, userSchema } from '@/types/api';

export type UserFilters = { q?: string; role?: string; page?: number; page_size?: number };

// Paged per the team's list convention; a bare array is accepted too.
export const usersResponseSchema = z.union([
  pageOf(userSchema),
  z.array(userSchema).transform((items) => ({ items, total: items.length, page: 1, page_size: items.length })),
]);

export const getUsers = (filters: UserFilters, signal?: AbortSignal) =>
  apiRequest('/admin/users', { query: filters, schema: usersResponseSchema, signal });

export const usersQueryOptions = (filters: UserFilters) =>
  queryOptions({
    queryKey: ['admin', 'users', filters],
    queryFn: ({ signal }) => getUsers(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useUsers = (filters: UserFilters) => useQuery(usersQueryOptions(filters));
