import {
  IntakeEventTypes,
  topics,
  VehicleEventTypes,
  type IntakeCorrectedData,
  type IntakeItemsSortedData,
  type IntakeRecordedData,
  type VehicleCertificateIssuedData,
  type VehicleDismantledData,
  type VehicleIntakeVoidedData,
  type VehicleReceivedData,
} from '@recycling/contracts';
import type { ConsumerSpec, EventHandler } from '@recycling/messaging';
import type { AppContext } from '../app/context';
import {
  recordCertificate,
  recordCorrection,
  recordDismantled,
  recordIntake,
  recordSorting,
  recordVehicleReceived,
  recordVoided,
} from '../app/record-sources';

// The lawful sources of cores: the dismantlers' vehicles (certificate, assemblies marked for
// remanufacturing) and the stations' intakes (equipment lines sorted to remanufacturing). The runner
// validates every event against contracts and dead-letters what fails, and events of another city
// (decision 16); handlers apply each effect once per event id.

const handler =
  <T>(name: string, apply: (ctx: AppContext, eventId: string, data: T) => Promise<unknown>) =>
  (ctx: AppContext): EventHandler<T> =>
  async (event, { logger }) => {
    const outcome = await apply(ctx, event.id, event.data);
    logger.debug({ eventId: event.id, type: event.type, outcome }, name);
  };

export function sourceConsumers(ctx: AppContext): ConsumerSpec[] {
  return [
    {
      name: 'vehicles',
      topics: [topics.vehicles.name],
      handlers: {
        [VehicleEventTypes.received]: handler<VehicleReceivedData>(
          'vehicle received',
          recordVehicleReceived,
        )(ctx),
        [VehicleEventTypes.certificateIssued]: handler<VehicleCertificateIssuedData>(
          'certificate recorded',
          recordCertificate,
        )(ctx),
        [VehicleEventTypes.intakeVoided]: handler<VehicleIntakeVoidedData>(
          'vehicle intake voided',
          recordVoided,
        )(ctx),
        [VehicleEventTypes.dismantled]: handler<VehicleDismantledData>(
          'assemblies recorded',
          recordDismantled,
        )(ctx),
      },
    },
    {
      name: 'intakes',
      topics: [topics.intakes.name],
      handlers: {
        [IntakeEventTypes.recorded]: handler<IntakeRecordedData>('intake recorded', recordIntake)(ctx),
        [IntakeEventTypes.corrected]: handler<IntakeCorrectedData>('intake corrected', recordCorrection)(ctx),
        [IntakeEventTypes.itemsSorted]: handler<IntakeItemsSortedData>('intake sorted', recordSorting)(ctx),
      },
    },
  ];
}
