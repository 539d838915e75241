import { paths } from '@/config/paths';
import type { Role } from '@/types/api';

export type NavItem = { to: string; label: string; roles: readonly Role[]; end?: boolean };

const everyone: readonly Role[] = ['admin', 'manager', 'agent'];

/** Role-aware navigation: an item is listed only for roles whose pages the server lets them use. */
export const navItems: readonly NavItem[] = [
  { to: paths.dashboard, label: 'Dashboard', roles: everyone, end: true },
  { to: paths.properties, label: 'Properties', roles: everyone },
  { to: paths.leads, label: 'Leads', roles: everyone },
  { to: paths.calls, label: 'Calls', roles: everyone, end: true },
  { to: paths.liveMonitor, label: 'Live monitor', roles: everyone },
  { to: paths.showings, label: 'Showings', roles: everyone },
  { to: paths.calendar, label: 'Calendar', roles: everyone },
  { to: paths.tasks, label: 'My tasks', roles: everyone, end: true },
  { to: paths.teamTasks, label: 'Team tasks', roles: ['admin', 'manager'] },
  { to: paths.reports, label: 'Reports', roles: ['admin', 'manager'] },
  { to: paths.reports, label: 'My performance', roles: ['agent'] },
  { to: paths.testCall, label: 'Test call', roles: everyone },
  { to: paths.campaigns, label: 'Campaigns', roles: everyone },
  { to: paths.adminUsers, label: 'Users', roles: ['admin'] },
  { to: paths.adminWebhooks, label: 'Webhook events', roles: ['admin'] },
  { to: paths.adminWebhookDeliveries, label: 'Webhook deliveries', roles: ['admin'] },
  { to: paths.adminIntegrations, label: 'Integrations', roles: ['admin'] },
  { to: paths.adminDoNotCall, label: 'Do-not-call', roles: ['admin', 'manager'] },
];

export const navItemsFor = (role: Role | undefined) => (role ? navItems.filter((i) => i.roles.includes(role)) : []);
