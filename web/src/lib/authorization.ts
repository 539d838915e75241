import type { Role, User } from '@/types/api';

// Mirrors the server's policy (SPEC section 3) so the UI never offers what the API would refuse.
export const can = {
  manageUsers: (user: User | null) => user?.role === 'admin',
  viewWebhookEvents: (user: User | null) => user?.role === 'admin',
  assignLeads: (user: User | null) => user?.role === 'admin' || user?.role === 'manager',
  assignTasks: (user: User | null) => user?.role === 'admin' || user?.role === 'manager',
  viewTeamTasks: (user: User | null) => user?.role === 'admin' || user?.role === 'manager',
  editProperties: (user: User | null) => user?.role === 'admin' || user?.role === 'manager',
  viewTeamReports: (user: User | null) => user?.role === 'admin' || user?.role === 'manager',
  manageCampaigns: (user: User | null) => user?.role === 'admin' || user?.role === 'manager',
  manageDoNotCall: (user: User | null) => user?.role === 'admin' || user?.role === 'manager',
  uploadDncRegistry: (user: User | null) => user?.role === 'admin',
  placeOutboundCalls: (user: User | null) => !!user,
};

export const hasRole = (user: User | null, roles: readonly Role[]) => !!user && roles.includes(user.role);
