import { appRoutes } from '../support/routes';
import { startTestApp, TestApp } from '../support/test-app';

/** Every route of the apps' API document (志愿医生接口文档 v1 + v2), by section number. */
const CONTRACT: [string, string][] = [
  ['1.2.2', 'POST /imgupload'],
  ['1.2.3', 'GET /captcha/app'],
  ['1.2.4', 'POST /verifycode'],
  ['1.2.5', 'GET /city'],
  ['1.2.6', 'GET /area/city'],
  ['3.1.1', 'POST /register'],
  ['3.1.2', 'POST /login'],
  ['3.1.3', 'PUT /user'],
  ['3.1.6', 'GET /user'],
  ['3.1.7', 'POST /reset/pwd'],
  ['3.1.8', 'GET /follow/user/:id'],
  ['3.1.9', 'DELETE /follow/user/:id'],
  ['3.1.10', 'GET /user/:id'],
  ['3.1.11', 'POST /phone/verifycode'],
  ['3.1.12', 'GET /logout'],
  ['3.1.13', 'GET /message'],
  ['3.1.14', 'POST /login/phone'],
  ['3.1.14 (weixin)', 'GET /weixin/media'],
  ['3.2.1', 'GET /doctor/assistant'],
  ['3.2.3', 'POST /project'],
  ['3.2.4', 'GET /doctor/project'],
  ['3.2.5', 'GET /project/:id'],
  ['3.2.6', 'GET /project/:id/cancel'],
  ['3.2.7', 'GET /project/:id/patient'],
  ['3.2.8', 'GET /doctor/project/patient'],
  ['3.2.9', 'GET /diagnoses/:id'],
  ['3.2.10', 'POST /diagnoses/:id/reject'],
  ['3.2.11', 'GET /diagnoses/:id/done'],
  ['3.2.12', 'POST /doctor/diagnoses/:id/comment'],
  ['3.2.13', 'PUT /diagnoses/:id'],
  ['3.2.14', 'GET /news/:type/list'],
  ['3.2.15', 'GET /news/:id'],
  ['3.2.16', 'GET /doctor/index'],
  ['3.2.18', 'GET /doctor/comment'],
  ['3.2.18 (org)', 'GET /org'],
  ['3.2.19', 'POST /org_add/:org_id'],
  ['3.2.20', 'DELETE /org_remove/:id'],
  ['3.2.21', 'GET /org/my'],
  ['3.2.22', 'GET /all_diagnoses/:id'],
  ['3.3.1', 'GET /hospital'],
  ['3.3.2', 'GET /project'],
  ['3.3.4', 'POST /project/:id/join'],
  ['3.3.5', 'GET /custom/project/:id/cancel'],
  ['3.3.6', 'GET /doctor/:id/comment'],
  ['3.3.8', 'GET /project/:id/casebook'],
  ['3.3.9', 'GET /doctor/list'],
  ['3.3.11', 'GET /custom/doctor/:id/project'],
  ['3.3.12', 'GET /custom/follow'],
  ['3.3.13', 'GET /custom/diagnoses'],
  ['3.3.14', 'GET /custom/need/comment'],
  ['3.3.15', 'GET /custom/payment/diagnoses'],
  ['3.3.16', 'GET /custom/assistant'],
  ['3.3.17', 'POST /custom/diagnoses/:id/comment'],
  ['3.3.18', 'GET /custom/center'],
  ['3.3.19', 'GET /custom/homepage'],
  ['3.3.20', 'GET /order/query/:sn'],
  ['3.4.2', 'GET /assistant/follow'],
  ['3.4.3', 'POST /assistant/bind/patient'],
  ['3.4.4', 'POST /assistant/create/patient'],
  ['3.4.5', 'GET /assistant/patient'],
  ['3.4.7', 'POST /assistant/join/project/:id'],
  ['3.4.8', 'GET /assistant/project'],
  ['3.4.9', 'GET /assistant/project/:id/paitient'],
  ['3.4.10', 'GET /assistant/diagnoses/:id/cancel'],
  ['3.4.11', 'GET /assistant/center'],
  ['3.4.12', 'GET /assistant/homepage'],
  ['3.5.1', 'GET /sp_project'],
  ['3.5.2', 'GET /sp_project/:id'],
  ['3.6.1', 'GET /chat'],
  ['3.6.2', 'POST /chat'],
  ['3.6.3', 'GET /chat/:id'],
];

/** Routes of the money part of the contract, built with deposits and payments. */
const PENDING = new Set<string>([]);

describe('the API document', () => {
  let t: TestApp;
  let served: Set<string>;
  beforeAll(async () => {
    t = await startTestApp();
    // Express names path parameters freely (`:id`, `:org_id`): compare by shape.
    served = new Set(appRoutes(t).map((r) => r.replace(/:\w+/g, ':p')));
  });
  afterAll(() => t.close());

  it.each(CONTRACT.filter(([section]) => !PENDING.has(section)))('%s %s is served', (_, route) => {
    expect(served.has(route.replace(/:\w+/g, ':p'))).toBe(true);
  });
});
