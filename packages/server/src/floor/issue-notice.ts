import { roleHas, ROLES, type Role } from '../auth/permissions.js';
import type { NewNotification } from '../notifications/service.js';
import type { IssueKind } from './issue-schemas.js';
import type { IssueView } from './issue-views.js';

/** What handling an issue needs (ADR 0024): supervisor and production manager hold it, operators do not. */
export const ISSUE_MANAGE = 'schedule:edit' as const;

/**
 * Who is told about a reported issue: every role that can handle one. Admin holds every
 * permission by construction (it runs Kerf, it does not run the floor), so it is left out.
 */
export const ISSUE_NOTIFY_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'admin' && roleHas(r, ISSUE_MANAGE));

const HEADLINE: Record<IssueKind, string> = {
  downtime: 'Downtime',
  quality: 'Quality problem',
  material: 'Material shortage',
};

/** The web app's page for one issue (the notification's link). */
export const issueLink = (id: string) => `/floor/issues/${id}`;

/** "Downtime at LASER-01: Hydraulics", and who said what, where. */
export function issueNotice(issue: IssueView, machineCode: string | null): NewNotification {
  const where = machineCode ?? issue.workCenterId;
  const on = issue.operation
    ? ` on ${issue.operation.jobNumber} step ${issue.operation.sequence} (${issue.operation.operationCode})`
    : '';
  const onMachine = machineCode && machineCode !== issue.workCenterId ? ` (work center ${issue.workCenterId})` : '';
  const photos = issue.photos.length > 0 ? ` ${issue.photos.length} photo${issue.photos.length > 1 ? 's' : ''}.` : '';
  const said = issue.note ? `: “${issue.note}”.` : ' (no note).';
  return {
    kind: `floor-issue.${issue.kind}`,
    title: `${HEADLINE[issue.kind]} at ${where}: ${issue.reason.label}`,
    body: `${issue.reportedBy.name} reported${on}${onMachine}${said}${photos}`,
    link: issueLink(issue.id),
  };
}
