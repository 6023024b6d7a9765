import {
  emissionStandards,
  fuelTypes,
  idDocumentTypes,
  maskIdNumber,
  vehicleTypes,
  type CityProfile,
  type EmissionStandard,
  type FuelType,
  type IdDocumentType,
  type VehicleType,
} from '@recycling/contracts';
import { localDate } from '../domain/calendar';
import type { DismantlerDoc, IntakeRecord } from '../store/models';

// The printable recycling certificate (报废机动车回收证明), Chinese first, English second. The owner's
// id number is masked: the certificate is shown on screens and printed, and the traffic police
// check the papers themselves.

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const row = (zh: string, en: string, value: string): string =>
  `<tr><th>${zh}<br><small>${en}</small></th><td>${escapeHtml(value)}</td></tr>`;

const kg = (grams: number | undefined): string =>
  grams === undefined ? '—' : `${(grams / 1000).toFixed(1)} kg`;

export function renderCertificateHtml(
  intake: IntakeRecord,
  dismantler: DismantlerDoc | null,
  profile: CityProfile,
): string {
  const certificate = intake.certificate!;
  const owner =
    intake.owner.kind === 'person'
      ? `${intake.owner.name}（${idDocumentTypes[intake.owner.idType as IdDocumentType]?.name.zh ?? intake.owner.idType} ${maskIdNumber(intake.owner.idNumber)}）`
      : `${intake.owner.organisationName}${intake.owner.taxpayerId ? `（${intake.owner.taxpayerId}）` : ''}`;
  const vehicleType = vehicleTypes[intake.vehicleType as VehicleType]?.name;
  const fuel = fuelTypes[intake.fuelType as FuelType]?.name;
  const emission = emissionStandards[intake.emissionStandard as EmissionStandard]?.name;
  const label = (l: { zh: string; en: string } | undefined, code: string) => (l ? `${l.zh} / ${l.en}` : code);
  const rows = [
    row('证明编号', 'Certificate No.', certificate.certificateNo),
    row('出具日期', 'Date of issue', localDate(certificate.issuedAt, profile.timezone)),
    row('机动车所有人', 'Owner', owner),
    row('号牌号码', 'Plate number', intake.plate),
    row('车辆识别代号', 'VIN', intake.vin),
    row('发动机号码', 'Engine number', intake.engineNo ?? '—'),
    row('厂牌型号', 'Brand and model', intake.brandModel ?? '—'),
    row('车辆类型', 'Vehicle type', label(vehicleType, intake.vehicleType)),
    row('燃料种类', 'Fuel type', label(fuel, intake.fuelType)),
    row('排放标准', 'Emission standard', label(emission, intake.emissionStandard)),
    row('初次登记日期', 'First registration', intake.registrationDate),
    row('整备质量', 'Curb weight', kg(intake.curbWeightGrams)),
    row('回收日期', 'Date taken in', localDate(intake.receivedAt, profile.timezone)),
    row(
      '交回证件',
      'Papers handed over',
      [
        intake.documentsReceived.registrationCertificate ? '机动车登记证书 / registration certificate' : null,
        intake.documentsReceived.drivingLicence ? '机动车行驶证 / driving licence' : null,
        `号牌 ${intake.documentsReceived.plates} 面 / ${intake.documentsReceived.plates} plate(s)`,
      ]
        .filter(Boolean)
        .join('；'),
    ),
    row('回收拆解企业', 'Dismantler', dismantler?.name ?? intake.dismantlerId),
    row('资质认定证书编号', 'Qualification certificate No.', dismantler?.qualificationCertificateNo ?? '—'),
  ].join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>报废机动车回收证明 ${escapeHtml(certificate.certificateNo)}</title>
<style>
body { font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; max-width: 48rem; margin: 2rem auto; }
h1, h2 { text-align: center; margin: 0.2rem; }
h2 { font-weight: normal; font-size: 1rem; color: #444; }
table { width: 100%; border-collapse: collapse; margin-top: 1.5rem; }
th, td { border: 1px solid #333; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
th { width: 30%; background: #f4f4f4; }
small { color: #555; font-weight: normal; }
footer { margin-top: 1.5rem; font-size: 0.9rem; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>报废机动车回收证明</h1>
<h2>Scrapped Motor Vehicle Recycling Certificate</h2>
<table>
${rows}
</table>
<footer>
<p>本证明是机动车所有人办理机动车注销登记的凭证。${escapeHtml(profile.name.zh)}。</p>
<p>This certificate is the owner's evidence for deregistering the vehicle with the traffic police. ${escapeHtml(profile.name.en)}.</p>
</footer>
</body>
</html>
`;
}
