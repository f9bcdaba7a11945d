import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from 'src/common/crypto/hashing';
import { Address } from 'src/common/database/address';
import { upsertOperator } from 'src/modules/admin/operator-accounts';
import { Banner } from 'src/modules/banners/banner.entity';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { News } from 'src/modules/news/news.entity';
import { Org } from 'src/modules/orgs/org.entity';
import { User, UserType, VerifyState } from 'src/modules/users/user.entity';
import { dataSourceOptions } from '../data-source';

/** Demo sign-ins, printed in the README. Never used outside development. */
export const DEMO_ACCOUNTS = {
  operator: { phone: '13800000000', password: 'admin1234' },
  patient: { phone: '13800000001', password: 'demo1234' },
  doctor: { phone: '13800000002', password: 'demo1234' },
  assistant: { phone: '13800000003', password: 'demo1234' },
};

const place = (
  provinceId: number,
  provinceName: string,
  cityId: number,
  cityName: string,
  countyId: number,
  countyName: string,
  addr: string,
): Address => ({ provinceId, provinceName, cityId, cityName, countyId, countyName, addr });

const HOSPITALS: Partial<Hospital>[] = [
  {
    name: '北京协和医院',
    level: '三级甲等',
    tag: '疑难重症',
    address: place(110000, '北京市', 110100, '北京市', 110101, '东城区', '帅府园1号'),
    lng: '116.417480',
    lat: '39.912590',
  },
  {
    name: '四川大学华西医院',
    level: '三级甲等',
    tag: '综合',
    address: place(510000, '四川省', 510100, '成都市', 510107, '武侯区', '国学巷37号'),
    lng: '104.063450',
    lat: '30.641400',
  },
  {
    name: '复旦大学附属中山医院',
    level: '三级甲等',
    tag: '心血管科',
    address: place(310000, '上海市', 310100, '上海市', 310104, '徐汇区', '枫林路180号'),
    lng: '121.452880',
    lat: '31.197130',
  },
];

const ORGS: Partial<Org>[] = [
  { name: '蓝丝带志愿医疗队', abstract: '组织三甲医院医生下沉社区开展义诊。' },
  { name: '乡村健康行', abstract: '面向偏远乡村老人和儿童的公益巡诊团队。' },
];

async function seed(m: EntityManager): Promise<void> {
  const hospitals = await m.save(
    Hospital,
    HOSPITALS.map((h) => m.create(Hospital, h)),
  );
  await m.save(
    Org,
    ORGS.map((o) => m.create(Org, o)),
  );
  const password = await hashPassword(DEMO_ACCOUNTS.patient.password);
  await m.save(User, [
    m.create(User, {
      type: UserType.Patient,
      phone: DEMO_ACCOUNTS.patient.phone,
      passwordHash: password,
      isVerify: VerifyState.Active,
      realName: '张三',
      idno: '11010519491231002X',
      sex: 2,
      birthday: '1949-12-31',
      height: '160',
      weight: '55',
      address: place(110000, '北京市', 110100, '北京市', 110105, '朝阳区', '国贸三期'),
    }),
    m.create(User, {
      type: UserType.Doctor,
      phone: DEMO_ACCOUNTS.doctor.phone,
      passwordHash: password,
      isVerify: VerifyState.Active,
      realName: '李医生',
      hospitalId: hospitals[0].id,
      departments: '内科',
      jobPosition: '主任医师',
      goodAt: '高血压、糖尿病',
      abstract: '从事内科临床工作二十年。',
      workTime: Array.from({ length: 7 }, (_, d) => ({ morning: d < 5 ? 1 : 0, afternoon: 0 })),
    }),
    m.create(User, {
      type: UserType.Assistant,
      phone: DEMO_ACCOUNTS.assistant.phone,
      passwordHash: password,
      isVerify: VerifyState.Active,
      realName: '王医助',
      teamName: '蓝丝带志愿医疗队',
    }),
  ]);
  // One announcement and one banner per app (type / app_type 1 patient, 2 doctor, 3 assistant).
  const published = new Date(Date.now() - 3600_000);
  const apps = [
    { type: 1, title: '欢迎使用志愿医生', content: '<p>附近的免费义诊，一键预约。</p>' },
    { type: 2, title: '医生端上线公告', content: '<p>完善资料并通过审核后即可发布义诊。</p>' },
    { type: 3, title: '医助端使用说明', content: '<p>绑定患者后可代为预约义诊。</p>' },
  ];
  await m.save(
    News,
    apps.map((a) => m.create(News, { ...a, photo: '', publishTime: published })),
  );
  await m.save(
    Banner,
    apps.map((a) =>
      m.create(Banner, { appType: a.type, title: a.title, photo: '', jumpMode: 0, jumpId: 0, href: '' }),
    ),
  );
  await upsertOperator(m, DEMO_ACCOUNTS.operator.phone, DEMO_ACCOUNTS.operator.password, '演示运营');
}

/** Loads the demo hospitals, organisations and one account of each kind, unless accounts already exist. */
export async function seedDemoIfEmpty(url: string): Promise<boolean> {
  const ds = await new DataSource(dataSourceOptions(url)).initialize();
  try {
    return await ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(727002)');
      if ((await m.count(User)) > 0) return false;
      await seed(m);
      return true;
    });
  } finally {
    await ds.destroy();
  }
}
