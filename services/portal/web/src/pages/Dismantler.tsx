// The dismantler desk: vehicles expected from pickups, the vehicle intake (papers, owner, price with
// consent), the printable recycling certificate and the dismantling record of the five assemblies.
import { useState, type FormEvent } from 'react';
import { CertificateView } from '../components/CertificateView';
import { CodeSelect, Field } from '../components/Field';
import { ProblemView } from '../components/ProblemView';
import { api, asList } from '../lib/api';
import { useApp } from '../lib/context';
import { kgToGrams, yuanToFen } from '../lib/units';
import { useLoad } from '../lib/use-load';

interface VehicleIntake {
  vehicleIntakeId: string;
  vin: string;
  plateMasked?: string;
  vehicleType: string;
  status?: string;
  certificate?: { certificateNo: string; issuedAt?: string };
  certificateNo?: string;
  dismantling?: unknown;
  pickupId?: string;
}

interface ExpectedVehicle {
  pickupId: string;
  vehicle?: {
    vin?: string;
    plateMasked?: string;
    vehicleType?: string;
    fuelType?: string;
    emissionStandard?: string;
    registrationDate?: string;
  };
  slot?: { date: string; window: string };
}

const RECENT_KEY = 'recycling.dismantler.recent';
const recentIds = (): string[] => JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]') as string[];
const remember = (id: string) =>
  sessionStorage.setItem(
    RECENT_KEY,
    JSON.stringify([id, ...recentIds().filter((x) => x !== id)].slice(0, 20)),
  );

const certificateNoOf = (i: VehicleIntake) => i.certificate?.certificateNo ?? i.certificateNo;

export function Dismantler() {
  const { t, session, reference, codeName } = useApp();
  const dismantlerId = session?.principal.scope ?? '';
  const expected = useLoad(
    (signal) =>
      api<unknown>('dismantling', 'expected-vehicles', { query: { dismantlerId }, signal }).then((r) =>
        asList<ExpectedVehicle>(r),
      ),
    [dismantlerId],
  );
  const [tick, setTick] = useState(0);
  const recent = useLoad(
    (signal) =>
      Promise.all(
        recentIds().map((id) =>
          api<VehicleIntake>('dismantling', `vehicle-intakes/${encodeURIComponent(id)}`, { signal }).catch(
            () => undefined,
          ),
        ),
      ).then((list) => list.filter((x): x is VehicleIntake => x !== undefined)),
    [tick],
  );

  const emptyForm = {
    pickupId: '',
    vin: '',
    plate: '',
    engineNo: '',
    vehicleType: 'passenger-car',
    fuelType: 'gasoline',
    emissionStandard: 'china-3',
    registrationDate: '',
    curbWeightKg: '',
    priceYuan: '',
    ownerName: '',
    idType: 'resident-id-card',
    idNumber: '',
    registrationCertificate: true,
    drivingLicence: true,
    plates: '2',
    consent: false,
  };
  const [form, setForm] = useState(emptyForm);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [certificateNo, setCertificateNo] = useState<string>();
  const [dismantling, setDismantling] = useState<VehicleIntake>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setNotice(undefined);
    const now = new Date().toISOString();
    const priceFen = yuanToFen(form.priceYuan) ?? form.priceYuan;
    try {
      const created = await api<VehicleIntake>('dismantling', 'vehicle-intakes', {
        body: {
          dismantlerId,
          ...(form.pickupId ? { pickupId: form.pickupId } : {}),
          vin: form.vin,
          plate: form.plate,
          ...(form.engineNo ? { engineNo: form.engineNo } : {}),
          vehicleType: form.vehicleType,
          fuelType: form.fuelType,
          emissionStandard: form.emissionStandard,
          registrationDate: form.registrationDate,
          ...(form.curbWeightKg
            ? { curbWeightGrams: kgToGrams(form.curbWeightKg) ?? form.curbWeightKg }
            : {}),
          documentsReceived: {
            registrationCertificate: form.registrationCertificate,
            drivingLicence: form.drivingLicence,
            plates: Number(form.plates),
          },
          priceFen,
          owner: {
            kind: 'person',
            name: form.ownerName,
            idType: form.idType,
            idNumber: form.idNumber.replace(/\s+/g, '').toUpperCase(),
          },
          ...(form.consent
            ? { payment: { paidAt: now, paymentRecordId: `pay-${Date.now()}`, consentRecordedAt: now } }
            : {}),
        },
      });
      remember(created.vehicleIntakeId);
      setNotice(`${t('saved')}: ${created.vehicleIntakeId}`);
      // The owner's identity does not stay on a shared desk's screen.
      setForm(emptyForm);
      setTick((n) => n + 1);
      expected.reload();
    } catch (err) {
      setError(err);
    }
  };

  const issue = async (intake: VehicleIntake) => {
    setError(undefined);
    try {
      const updated = await api<VehicleIntake>(
        'dismantling',
        `vehicle-intakes/${encodeURIComponent(intake.vehicleIntakeId)}/certificate`,
        { body: {} },
      );
      setTick((n) => n + 1);
      const no = certificateNoOf(updated);
      if (no) setCertificateNo(no);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="grid two">
      <section className="card">
        <div className="card-head">
          <h2>{t('arrivals')}</h2>
          <button type="button" className="link" onClick={expected.reload} data-testid="expected-refresh">
            {t('refresh')}
          </button>
        </div>
        <ProblemView error={expected.error} />
        {expected.data?.length === 0 ? <p className="muted">{t('empty')}</p> : null}
        <ul data-testid="expected-vehicles">
          {(expected.data ?? []).map((v) => (
            <li key={v.pickupId} data-testid={`expected-${v.pickupId}`}>
              <strong>{v.pickupId}</strong> · {codeName('vehicleTypes', v.vehicle?.vehicleType ?? '')}{' '}
              {v.vehicle?.plateMasked} {v.vehicle?.vin} {v.slot ? `· ${v.slot.date} ${v.slot.window}` : ''}
              <button
                type="button"
                data-testid={`take-in-${v.pickupId}`}
                onClick={() =>
                  set({
                    pickupId: v.pickupId,
                    vin: v.vehicle?.vin ?? '',
                    vehicleType: v.vehicle?.vehicleType ?? form.vehicleType,
                    fuelType: v.vehicle?.fuelType ?? form.fuelType,
                    emissionStandard: v.vehicle?.emissionStandard ?? form.emissionStandard,
                    registrationDate: v.vehicle?.registrationDate ?? form.registrationDate,
                  })
                }
              >
                {t('intake')}
              </button>
            </li>
          ))}
        </ul>
        <h2>{t('vehicles')}</h2>
        <ProblemView error={recent.error} />
        <ul data-testid="vehicle-intakes">
          {(recent.data ?? []).map((i) => (
            <li
              key={i.vehicleIntakeId}
              data-testid={`vehicle-intake-${i.vehicleIntakeId}`}
              data-pickup={i.pickupId ?? ''}
              data-status={i.status}
              data-dismantled={i.dismantling ? 'yes' : 'no'}
            >
              <strong>{i.vehicleIntakeId}</strong> · {i.vin} · {codeName('vehicleTypes', i.vehicleType)} ·{' '}
              {i.status}
              {i.dismantling ? ` · ${t('dismantled')}` : ''}
              <div className="row">
                {certificateNoOf(i) ? (
                  <button
                    type="button"
                    data-testid="open-certificate"
                    onClick={() => setCertificateNo(certificateNoOf(i))}
                  >
                    {t('certificate')} {certificateNoOf(i)}
                  </button>
                ) : (
                  <button type="button" data-testid="issue-certificate" onClick={() => void issue(i)}>
                    {t('issueCertificate')}
                  </button>
                )}
                {i.dismantling ? null : (
                  <button type="button" data-testid="open-dismantling" onClick={() => setDismantling(i)}>
                    {t('dismantlingRecord')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section className="card">
        <h2>{t('vehicleIntake')}</h2>
        <form onSubmit={submit} data-testid="vehicle-form">
          <div className="row">
            <Field label={t('pickupId')} field="pickupId" error={error}>
              <input
                name="pickupId"
                value={form.pickupId}
                onChange={(e) => set({ pickupId: e.target.value })}
              />
            </Field>
            <Field label={t('vin')} field="vin" error={error}>
              <input
                name="vin"
                value={form.vin}
                maxLength={17}
                onChange={(e) => set({ vin: e.target.value.toUpperCase() })}
              />
            </Field>
            <Field label={t('plate')} field="plate" error={error}>
              <input
                name="plate"
                value={form.plate}
                placeholder="新N12345"
                onChange={(e) => set({ plate: e.target.value })}
              />
            </Field>
            <Field label={t('engineNo')} field="engineNo" error={error}>
              <input
                name="engineNo"
                value={form.engineNo}
                onChange={(e) => set({ engineNo: e.target.value })}
              />
            </Field>
          </div>
          <div className="row">
            <Field label={t('vehicleType')} field="vehicleType" error={error}>
              <CodeSelect
                name="vehicleType"
                options={reference?.vehicleTypes}
                value={form.vehicleType}
                onChange={(v) => set({ vehicleType: v })}
              />
            </Field>
            <Field label={t('fuelType')} field="fuelType" error={error}>
              <CodeSelect
                name="fuelType"
                options={reference?.fuelTypes}
                value={form.fuelType}
                onChange={(v) => set({ fuelType: v })}
              />
            </Field>
            <Field label={t('emissionStandard')} field="emissionStandard" error={error}>
              <CodeSelect
                name="emissionStandard"
                options={reference?.emissionStandards}
                value={form.emissionStandard}
                onChange={(v) => set({ emissionStandard: v })}
              />
            </Field>
            <Field label={t('registrationDate')} field="registrationDate" error={error}>
              <input
                type="date"
                name="registrationDate"
                value={form.registrationDate}
                onChange={(e) => set({ registrationDate: e.target.value })}
              />
            </Field>
            <Field label={t('weightVehicleKg')} field="curbWeightGrams" error={error}>
              <input
                name="curbWeightKg"
                inputMode="decimal"
                value={form.curbWeightKg}
                onChange={(e) => set({ curbWeightKg: e.target.value })}
              />
            </Field>
          </div>
          <fieldset>
            <legend>{t('papers')}</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={form.registrationCertificate}
                onChange={(e) => set({ registrationCertificate: e.target.checked })}
              />
              {t('papers.registrationCertificate')}
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={form.drivingLicence}
                onChange={(e) => set({ drivingLicence: e.target.checked })}
              />
              {t('papers.drivingLicence')}
            </label>
            <Field label={t('papers.plates')} field="documentsReceived.plates" error={error}>
              <input
                inputMode="numeric"
                value={form.plates}
                onChange={(e) => set({ plates: e.target.value })}
              />
            </Field>
          </fieldset>
          <fieldset>
            <legend>{t('owner')}</legend>
            <div className="row">
              <Field label={t('sellerName')} field="owner.name" error={error}>
                <input
                  name="owner.name"
                  value={form.ownerName}
                  autoComplete="off"
                  onChange={(e) => set({ ownerName: e.target.value })}
                />
              </Field>
              <Field label={t('idType')} field="owner.idType" error={error}>
                <CodeSelect
                  name="owner.idType"
                  options={reference?.idDocumentTypes}
                  value={form.idType}
                  onChange={(v) => set({ idType: v })}
                />
              </Field>
              <Field label={t('idNumber')} field="owner.idNumber" error={error}>
                <input
                  name="owner.idNumber"
                  value={form.idNumber}
                  autoComplete="off"
                  onChange={(e) => set({ idNumber: e.target.value })}
                />
              </Field>
              <Field label={t('vehiclePrice')} field="priceFen" error={error}>
                <input
                  name="priceYuan"
                  inputMode="decimal"
                  value={form.priceYuan}
                  onChange={(e) => set({ priceYuan: e.target.value })}
                />
              </Field>
            </div>
            <Field label="" field="payment" error={error}>
              <span className="check">
                <input
                  type="checkbox"
                  name="payment.consent"
                  checked={form.consent}
                  onChange={(e) => set({ consent: e.target.checked })}
                />
                {t('consent')}
              </span>
            </Field>
          </fieldset>
          <ProblemView error={error} />
          {notice ? (
            <div className="notice" data-testid="vehicle-notice">
              {notice}
            </div>
          ) : null}
          <button type="submit" className="primary" data-testid="vehicle-submit">
            {t('submit')}
          </button>
        </form>
      </section>
      {certificateNo ? (
        <CertificateView certificateNo={certificateNo} onClose={() => setCertificateNo(undefined)} />
      ) : null}
      {dismantling ? (
        <DismantlingForm
          intake={dismantling}
          onDone={() => {
            setDismantling(undefined);
            setTick((n) => n + 1);
          }}
        />
      ) : null}
    </div>
  );
}

function DismantlingForm({ intake, onDone }: { intake: VehicleIntake; onDone: () => void }) {
  const { t, reference, l } = useApp();
  const assemblies = reference?.majorAssemblies ?? [];
  const [rows, setRows] = useState(
    assemblies.map((a) => ({ assembly: a.code, disposition: 'scrap-steel', remanufacturingCode: '' })),
  );
  const [steelKg, setSteelKg] = useState('');
  const [error, setError] = useState<unknown>();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api('dismantling', `vehicle-intakes/${encodeURIComponent(intake.vehicleIntakeId)}/dismantling`, {
        body: {
          assemblies: rows.map((r) => ({
            assembly: r.assembly,
            disposition: r.disposition,
            ...(r.disposition === 'remanufacturing' ? { remanufacturingCode: r.remanufacturingCode } : {}),
          })),
          materials: steelKg ? [{ material: 'ferrous', weightGrams: kgToGrams(steelKg) ?? steelKg }] : [],
        },
      });
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="card wide">
      <h2>
        {t('dismantlingRecord')} · {intake.vehicleIntakeId}
      </h2>
      <form onSubmit={save} data-testid="dismantling-form">
        {rows.map((r, i) => (
          <div className="row" key={r.assembly}>
            <span className="line-name">
              {l(assemblies.find((a) => a.code === r.assembly)?.name, r.assembly)}
            </span>
            <Field label={t('disposition')} field={`assemblies.${i}.disposition`} error={error}>
              <select
                value={r.disposition}
                onChange={(e) =>
                  setRows(rows.map((x, j) => (j === i ? { ...x, disposition: e.target.value } : x)))
                }
              >
                <option value="scrap-steel">{t('disposition.scrap-steel')}</option>
                <option value="remanufacturing">{t('disposition.remanufacturing')}</option>
              </select>
            </Field>
            {r.disposition === 'remanufacturing' ? (
              <Field
                label={t('remanufacturingCode')}
                field={`assemblies.${i}.remanufacturingCode`}
                error={error}
              >
                <input
                  value={r.remanufacturingCode}
                  onChange={(e) =>
                    setRows(rows.map((x, j) => (j === i ? { ...x, remanufacturingCode: e.target.value } : x)))
                  }
                />
              </Field>
            ) : null}
          </div>
        ))}
        <Field label={`${t('disposition.scrap-steel')} (kg)`} field="materials" error={error}>
          <input
            name="materials.ferrousKg"
            inputMode="decimal"
            value={steelKg}
            onChange={(e) => setSteelKg(e.target.value)}
          />
        </Field>
        <ProblemView error={error} />
        <div className="row">
          <button type="submit" className="primary" data-testid="dismantling-submit">
            {t('recordDismantling')}
          </button>
          <button type="button" onClick={onDone}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
