import { joinProject, makeDoctor, makePatient, publishProject, slotOf } from '../support/clinic-factories';
import { expectError } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('joining a free clinic (smoke)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('publishes, books a seat and refuses a second booking', async () => {
    const doctor = await makeDoctor(t);
    const patient = await makePatient(t);
    const project = await publishProject(t, doctor);
    expect(Object.keys(project.plan_time)).toHaveLength(4);
    await joinProject(t, patient, project);
    const again = await t.http
      .post(`/project/${project.id}/join`)
      .set('X-auth-token', patient.token)
      .send({ content: 'x', plan_time: slotOf(project, 1) });
    expectError(again, 409, 30008);
    const detail = await t.http.get(`/project/${project.id}`).set('X-auth-token', patient.token).expect(200);
    expect(detail.body.data).toMatchObject({ is_join: 1, join_people_count: 1, op_cancel: 1 });
  });
});
