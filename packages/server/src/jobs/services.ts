import { recordAudit } from '../auth/audit.js';
import { resourceService } from '../platform/crud/resource-service.js';
import { enqueueStockChange } from '../nesting/outbox.js';
import { customers, materials } from './tables.js';

export const customerService = resourceService({
  audit: recordAudit,
  entity: 'customer',
  table: customers,
  filters: { q: { column: customers.name, kind: 'search', alsoColumns: [customers.code] } },
  sortable: { code: customers.code, name: customers.name },
  defaultSort: 'code',
});

export const materialService = resourceService({
  audit: recordAudit,
  entity: 'material',
  table: materials,
  filters: {
    code: { column: materials.code, kind: 'exact' },
    location: { column: materials.location, kind: 'exact' },
  },
  sortable: { code: materials.code, thickness: materials.thickness, quantity: materials.quantity },
  defaultSort: 'code',
  // Sheet stock follows to SigmaNEST in the same transaction (nesting outbox).
  hooks: { beforeWrite: enqueueStockChange },
});
