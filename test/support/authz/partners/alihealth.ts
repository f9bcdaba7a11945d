import { ErrorCode } from 'src/common/errors/error-codes';
import { Cells, err, FORBIDDEN, NA, ok, Outcome, RouteAuthz, TOKEN_CELLS } from '../cells';

/** Operator routes: app accounts of every role are refused; no app account owns anything there. */
const operatorOnly = (o: Outcome = ok()): Cells => ({
  ...TOKEN_CELLS,
  patient: FORBIDDEN,
  doctor: FORBIDDEN,
  assistant: FORBIDDEN,
  owner: NA,
  stranger: NA,
  operator: o,
});

/**
 * Alibaba Health follow-up routes. The world does not configure ALIHEALTH_*, so linking the owner's dialog
 * gets past authorization to "not configured" (503 50100) and changes nothing; unlinking finds no link (404),
 * and a resend names no delivery (404). With ALIHEALTH_BASE_URL/APP_KEY/APP_SECRET set (pointing at a
 * FakeAlihealth), the link cell would be `ok()` and the dialog would stay linked for the rest of the suite.
 */
export const ALIHEALTH_AUTHZ: Record<string, RouteAuthz> = {
  'POST /admin/chat/dialogs/:id/followup': {
    request: (w) => ({ params: { id: w.dialogId }, body: { session_id: 'authz-session-1' } }),
    cells: operatorOnly(err(503, ErrorCode.PARTNER_NOT_CONFIGURED)),
  },
  'DELETE /admin/chat/dialogs/:id/followup': {
    request: (w) => ({ params: { id: w.dialogId } }),
    cells: operatorOnly(err(404, ErrorCode.FOLLOWUP_NOT_LINKED)),
  },
  'GET /admin/followup/deliveries': { request: () => ({}), cells: operatorOnly() },
  'POST /admin/followup/deliveries/:id/resend': {
    request: () => ({ params: { id: 2_000_000_000 } }),
    cells: operatorOnly(err(404, ErrorCode.FOLLOWUP_DELIVERY_NOT_FOUND)),
  },
};
