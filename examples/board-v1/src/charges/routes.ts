// Charge endpoints of the demo Payments Service (referenced by task-1's relevantFiles).
// task-1 adds idempotency keys here: POST /v2/charges will read the Idempotency-Key header.
export const chargeRoutes = [
  { method: 'POST', path: '/v2/charges' },
  { method: 'GET', path: '/v2/charges/:id' },
];
