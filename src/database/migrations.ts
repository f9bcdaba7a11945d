import { Init1763900000000 } from 'migrations/1763900000000-Init';
import { LoadRegions1763900000001 } from 'migrations/1763900000001-LoadRegions';
import { Directory1763900100000 } from 'migrations/1763900100000-Directory';
import { FreeClinics1763900200000 } from 'migrations/1763900200000-FreeClinics';
import { AssistantsChat1763900300000 } from 'migrations/1763900300000-AssistantsChat';
import { ClinicSearchIndexes1763900300001 } from 'migrations/1763900300001-ClinicSearchIndexes';
import { Payments1763900400000 } from 'migrations/1763900400000-Payments';
import { PersonalDataAtRest1763900500000 } from 'migrations/1763900500000-PersonalDataAtRest';
import { PerformanceIndexes1763900600000 } from 'migrations/1763900600000-PerformanceIndexes';
import { Linkingcloud1763900700000 } from 'migrations/1763900700000-Linkingcloud';
import { Feiqingsong1763900800000 } from 'migrations/1763900800000-Feiqingsong';
import { H911601763900900000 } from 'migrations/1763900900000-H91160';
import { FollowupIm1763901000000 } from 'migrations/1763901000000-FollowupIm';

/** Every migration in order; listed explicitly so the compiled app and the tests load the same set. */
export const MIGRATIONS = [
  Init1763900000000,
  LoadRegions1763900000001,
  Directory1763900100000,
  FreeClinics1763900200000,
  AssistantsChat1763900300000,
  ClinicSearchIndexes1763900300001,
  Payments1763900400000,
  PersonalDataAtRest1763900500000,
  PerformanceIndexes1763900600000,
  Linkingcloud1763900700000,
  Feiqingsong1763900800000,
  H911601763900900000,
  FollowupIm1763901000000,
];
