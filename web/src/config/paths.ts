// One place for client-side URLs so links and routes never drift apart.
export const paths = {
  login: '/login',
  dashboard: '/',
  properties: '/properties',
  propertyNew: '/properties/new',
  property: (id: number | string) => `/properties/${id}`,
  propertyEdit: (id: number | string) => `/properties/${id}/edit`,
  leads: '/leads',
  lead: (id: number | string) => `/leads/${id}`,
  calls: '/calls',
  call: (id: number | string) => `/calls/${id}`,
  liveMonitor: '/live',
  showings: '/showings',
  reports: '/reports',
  adminUsers: '/admin/users',
  adminWebhooks: '/admin/webhook-events',
  testCall: '/test-call',
} as const;
