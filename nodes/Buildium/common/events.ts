/**
 * Buildium's webhook event catalogue (developer guide, "Webhooks": 34 entities, 98 event names). Each delivery is a
 * thin event `{EventName, EventDateTime, AccountId, …ids}`; `fetch` is the GET that returns the entity it points at
 * (path parameters filled from the event's id fields), used by the trigger's "Fetch Entity" option.
 */
export interface EventEntity {
	entity: string;
	/** Event name prefix, e.g. "Lease" → Lease.Created / Lease.Updated / Lease.Deleted. */
	prefix: string;
	operations: Array<'Created' | 'Updated' | 'Deleted'>;
	ids: string[];
	fetch?: string;
}

const CUD: EventEntity['operations'] = ['Created', 'Updated', 'Deleted'];

export const BUILDIUM_EVENT_ENTITIES: EventEntity[] = [
	{ entity: 'Applicants', prefix: 'Applicant', operations: CUD, ids: ['ApplicantId'], fetch: '/v1/applicants/{ApplicantId}' },
	{ entity: 'Applicant Applications', prefix: 'ApplicantApplication', operations: ['Created', 'Updated'], ids: ['ApplicantId', 'ApplicationId'], fetch: '/v1/applicants/{ApplicantId}/applications/{ApplicationId}' },
	{ entity: 'Application Transactions', prefix: 'Application.Transaction', operations: ['Created', 'Updated'], ids: ['ApplicationId', 'TransactionId', 'TransactionType'], fetch: '/v1/applications/{ApplicationId}/transactions/{TransactionId}' },
	{ entity: 'Association Board Members', prefix: 'AssociationBoardMember', operations: CUD, ids: ['BoardMemberId'] },
	{ entity: 'Associations', prefix: 'Association', operations: CUD, ids: ['PropertyId'], fetch: '/v1/associations/{PropertyId}' },
	{ entity: 'Association Meter Readings', prefix: 'Association.MeterReading', operations: CUD, ids: ['PropertyId', 'ReadingDate', 'MeterType'] },
	{ entity: 'Association Owners', prefix: 'AssociationOwner', operations: CUD, ids: ['OwnerId'], fetch: '/v1/associations/owners/{OwnerId}' },
	{ entity: 'Association Ownership Account Transactions', prefix: 'OwnershipAccountTransaction', operations: CUD, ids: ['TransactionId', 'TransactionType'] },
	{ entity: 'Association Ownership Accounts', prefix: 'OwnershipAccount', operations: CUD, ids: ['OwnershipAccountId'], fetch: '/v1/associations/ownershipaccounts/{OwnershipAccountId}' },
	{ entity: 'Association Tenants', prefix: 'AssociationTenant', operations: CUD, ids: ['TenantId'], fetch: '/v1/associations/tenants/{TenantId}' },
	{ entity: 'Association Units', prefix: 'AssociationUnit', operations: CUD, ids: ['UnitId'], fetch: '/v1/associations/units/{UnitId}' },
	{ entity: 'Bank Accounts', prefix: 'BankAccount', operations: CUD, ids: ['BankAccountId'], fetch: '/v1/bankaccounts/{BankAccountId}' },
	{ entity: 'Bank Account Transactions', prefix: 'BankAccount.Transaction', operations: CUD, ids: ['BankAccountId', 'TransactionId', 'TransactionType'], fetch: '/v1/bankaccounts/{BankAccountId}/transactions/{TransactionId}' },
	{ entity: 'Bills', prefix: 'Bill', operations: CUD, ids: ['BillId'], fetch: '/v1/bills/{BillId}' },
	{ entity: 'Bill Payments', prefix: 'Bill.Payment', operations: CUD, ids: ['PaymentId', 'BillIds'] },
	{ entity: 'Budgets', prefix: 'Budget', operations: CUD, ids: ['BudgetId'], fetch: '/v1/budgets/{BudgetId}' },
	{ entity: 'General Ledger Accounts', prefix: 'GLAccount', operations: CUD, ids: ['GLAccountId'], fetch: '/v1/glaccounts/{GLAccountId}' },
	{ entity: 'Integrations', prefix: 'Installation', operations: CUD, ids: ['IntegrationName'] },
	{ entity: 'Lease Move Outs', prefix: 'Lease.MoveOut', operations: ['Created'], ids: ['LeaseId', 'TenantId'], fetch: '/v1/leases/{LeaseId}/moveouts/{TenantId}' },
	{ entity: 'Lease Tenants', prefix: 'LeaseTenant', operations: CUD, ids: ['TenantId'], fetch: '/v1/leases/tenants/{TenantId}' },
	{ entity: 'Lease Transactions', prefix: 'LeaseTransaction', operations: CUD, ids: ['TransactionId', 'TransactionType'] },
	{ entity: 'Leases', prefix: 'Lease', operations: CUD, ids: ['LeaseId'], fetch: '/v1/leases/{LeaseId}' },
	{ entity: 'Listings', prefix: 'Listing', operations: CUD, ids: ['UnitId'], fetch: '/v1/rentals/units/{UnitId}/listing' },
	{ entity: 'Phone Logs', prefix: 'PhoneLog', operations: CUD, ids: ['PhoneLogId'], fetch: '/v1/communications/phonelogs/{PhoneLogId}' },
	{ entity: 'Rental Meter Readings', prefix: 'Rental.MeterReading', operations: CUD, ids: ['PropertyId', 'ReadingDate', 'MeterType'] },
	{ entity: 'Rental Properties', prefix: 'Rental', operations: CUD, ids: ['PropertyId'], fetch: '/v1/rentals/{PropertyId}' },
	{ entity: 'Rental Units', prefix: 'RentalUnit', operations: CUD, ids: ['UnitId'], fetch: '/v1/rentals/units/{UnitId}' },
	{ entity: 'Task Categories', prefix: 'TaskCategory', operations: CUD, ids: ['TaskCategoryId'], fetch: '/v1/tasks/categories/{TaskCategoryId}' },
	{ entity: 'Task History', prefix: 'Task.History', operations: CUD, ids: ['TaskId', 'TaskHistoryId'], fetch: '/v1/tasks/{TaskId}/history/{TaskHistoryId}' },
	{ entity: 'Tasks', prefix: 'Task', operations: CUD, ids: ['TaskId', 'TaskType'], fetch: '/v1/tasks/{TaskId}' },
	{ entity: 'Vendor Categories', prefix: 'VendorCategory', operations: CUD, ids: ['VendorCategoryId'], fetch: '/v1/vendors/categories/{VendorCategoryId}' },
	{ entity: 'Vendors', prefix: 'Vendor', operations: CUD, ids: ['VendorId'], fetch: '/v1/vendors/{VendorId}' },
	{ entity: 'Vendor Transactions', prefix: 'Vendor.Transaction', operations: CUD, ids: ['TransactionId', 'TransactionType', 'VendorId'] },
	{ entity: 'Work Orders', prefix: 'WorkOrder', operations: CUD, ids: ['WorkOrderId'], fetch: '/v1/workorders/{WorkOrderId}' },
];

export const BUILDIUM_EVENT_NAMES: string[] = BUILDIUM_EVENT_ENTITIES.flatMap((e) => e.operations.map((op) => `${e.prefix}.${op}`));

/** The catalogue entry of an event name ("Lease.MoveOut.Created" → Lease Move Outs, not Leases). */
export function eventEntity(eventName: string): EventEntity | undefined {
	const prefix = eventName.replace(/\.(Created|Updated|Deleted)$/, '');
	return BUILDIUM_EVENT_ENTITIES.find((e) => e.prefix === prefix);
}
