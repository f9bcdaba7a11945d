import { ErrorCode } from 'src/common/errors/error-codes';
import { err, operatorOnly, RouteAuthz } from '../cells';

/** 阿里健康随访 operator routes (on the loopback fake): the owner's dialog is linked, the stranger's unlinked. */
export const ALIHEALTH_AUTHZ: Record<string, RouteAuthz> = {
  'POST /admin/chat/dialogs/:id/followup': {
    request: (w) => ({ params: { id: w.dialogId }, body: { session_id: 'authz-session-1' } }),
    cells: operatorOnly(),
  },
  'DELETE /admin/chat/dialogs/:id/followup': {
    request: (w) => ({ params: { id: w.partners.linkedDialog } }),
    cells: operatorOnly(),
  },
  'GET /admin/followup/deliveries': { request: () => ({}), cells: operatorOnly() },
  'POST /admin/followup/deliveries/:id/resend': {
    request: () => ({ params: { id: 2_000_000_000 } }),
    cells: operatorOnly(err(404, ErrorCode.FOLLOWUP_DELIVERY_NOT_FOUND)),
  },
};
