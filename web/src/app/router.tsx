import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { AppLayout } from '@/components/layouts/app-layout';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { RequireAuth, RequireRole } from '@/lib/route-guards';
import type { Role } from '@/types/api';
import { RouteError } from './routes/route-error';

// Each page is its own chunk, so the first load carries only the shell and the page being opened.
const page = (load: () => Promise<{ default: ComponentType }>): LazyExoticComponent<ComponentType> => lazy(load);

const LoginPage = page(() => import('./routes/login'));
const DashboardPage = page(() => import('./routes/dashboard'));
const PropertiesPage = page(() => import('./routes/properties/properties-list'));
const PropertyPage = page(() => import('./routes/properties/property-detail'));
const PropertyEditPage = page(() => import('./routes/properties/property-edit'));
const LeadsPage = page(() => import('./routes/leads/leads-list'));
const LeadPage = page(() => import('./routes/leads/lead-detail'));
const NewLeadPage = page(() => import('./routes/leads/lead-new'));
const LeadImportPage = page(() => import('./routes/leads/lead-import'));
const CallsPage = page(() => import('./routes/calls/calls-list'));
const CallPage = page(() => import('./routes/calls/call-detail'));
const LiveMonitorPage = page(() => import('./routes/live-monitor'));
const ShowingsPage = page(() => import('./routes/showings'));
const AgentCalendarPage = page(() => import('./routes/agent-calendar'));
const TasksPage = page(() => import('./routes/tasks'));
const TeamTasksPage = page(() => import('./routes/team-tasks'));
const ReportsPage = page(() => import('./routes/reports'));
const UsersPage = page(() => import('./routes/admin/users'));
const WebhookEventsPage = page(() => import('./routes/admin/webhook-events'));
const WebhookDeliveriesPage = page(() => import('./routes/admin/webhook-deliveries'));
const CampaignsPage = page(() => import('./routes/campaigns/campaigns-list'));
const CampaignPage = page(() => import('./routes/campaigns/campaign-detail'));
const CampaignEditPage = page(() => import('./routes/campaigns/campaign-edit'));
const DoNotCallPage = page(() => import('./routes/admin/do-not-call'));
const IntegrationsPage = page(() => import('./routes/admin/integrations'));
const TestCallPage = page(() => import('./routes/test-call'));
const NotFoundPage = page(() => import('./routes/not-found'));

const managers: readonly Role[] = ['admin', 'manager'];
const admins: readonly Role[] = ['admin'];

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout headerActions={<NotificationBell />} />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'properties', element: <PropertiesPage /> },
      { path: 'properties/new', element: <RequireRole roles={managers}><PropertyEditPage /></RequireRole> },
      { path: 'properties/:id', element: <PropertyPage /> },
      { path: 'properties/:id/edit', element: <RequireRole roles={managers}><PropertyEditPage /></RequireRole> },
      { path: 'leads', element: <LeadsPage /> },
      { path: 'leads/new', element: <NewLeadPage /> },
      { path: 'leads/import', element: <RequireRole roles={managers}><LeadImportPage /></RequireRole> },
      { path: 'leads/:id', element: <LeadPage /> },
      { path: 'calls', element: <CallsPage /> },
      { path: 'calls/:id', element: <CallPage /> },
      { path: 'live', element: <LiveMonitorPage /> },
      { path: 'showings', element: <ShowingsPage /> },
      { path: 'calendar', element: <AgentCalendarPage /> },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'tasks/team', element: <RequireRole roles={managers}><TeamTasksPage /></RequireRole> },
      { path: 'reports', element: <ReportsPage /> },
      { path: 'test-call', element: <TestCallPage /> },
      { path: 'campaigns', element: <CampaignsPage /> },
      { path: 'campaigns/new', element: <RequireRole roles={managers}><CampaignEditPage /></RequireRole> },
      { path: 'campaigns/:id', element: <CampaignPage /> },
      { path: 'campaigns/:id/edit', element: <RequireRole roles={managers}><CampaignEditPage /></RequireRole> },
      { path: 'admin/do-not-call', element: <RequireRole roles={managers}><DoNotCallPage /></RequireRole> },
      { path: 'admin/users', element: <RequireRole roles={admins}><UsersPage /></RequireRole> },
      { path: 'admin/webhook-events', element: <RequireRole roles={admins}><WebhookEventsPage /></RequireRole> },
      { path: 'admin/webhook-deliveries', element: <RequireRole roles={admins}><WebhookDeliveriesPage /></RequireRole> },
      { path: 'admin/integrations', element: <RequireRole roles={admins}><IntegrationsPage /></RequireRole> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const createAppRouter = () => createBrowserRouter(routes);
