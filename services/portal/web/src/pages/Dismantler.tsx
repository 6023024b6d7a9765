// The dismantler desk: the site's day as the server keeps it (vehicle pickups due, towed in and
// waiting at the gate, coming; vehicles taken in today; to certify, to dismantle, to deregister,
// deregistrations awaited), the vehicle intake (papers, owner, price with consent), the printable
// recycling certificate, the deregistration and its outcome, and the dismantling record of the five
// assemblies. Nothing of the day lives in the browser: a reload or the next shift reads the same
// list, and what the desk has open (the booking being taken in, a form, a certificate) is named in
// the address.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { CertificateView } from '../components/CertificateView';
import { CodeSelect, Field } from '../components/Field';
import { ProblemView } from '../components/ProblemView';
import { api } from '../lib/api';
import { useApp } from '../lib/context';
import type { MessageKey } from '../lib/dictionary';
import { fenToYuan, kgToGrams, localDate, localDateTime, yuanToFen } from '../lib/units';
import { useLoad } from '../lib/use-load';
import './desks.css';

interface BookedVehicle {
  vin?: string;
  plateMasked?: string;
  vehicleType?: string;
  fuelType?: string;
  emissionStandard?: string;
  registrationDate?: string;
}

interface WorkPickup {
  pickupId: string;
  status: 'requested' | 'scheduled' | 'collected';
  districtCode: string;
  slot: { date: string; window: string };
  vehicle: BookedVehicle;
  overdue: boolean;
}

interface WorkIntake {
  vehicleIntakeId: string;
  vin: string;
  plateMasked: string;
  vehicleType: string;
  fuelType: string;
  pickupId?: string;
  status: 'received' | 'voided';
  receivedAt: string;
  receivedOn: string;
  priceFen: number;
  certificateNo?: string;
  certifiedAt?: string;
  deregistration?: { state: 'requested' | 'completed' | 'rejected'; requestedAt: string; reason?: string };
  dismantledAt?: string;
}

interface WorkList {
  dismantlerId: string;
  date: string;
  due: WorkPickup[];
  toTakeIn: WorkPickup[];
  upcoming: WorkPickup[];
  takenIn: WorkIntake[];
  toCertify: WorkIntake[];
  toDismantle: WorkIntake[];
  toDeregister: WorkIntake[];
  deregistrationAwaited: WorkIntake[];
  totals: Record<string, number>;
}

type FormKind = 'dismantling' | 'deregister' | 'outcome';
const FORMS: readonly FormKind[] = ['dismantling', 'deregister', 'outcome'];

const fill = (text: string, vars: Record<string, string | number>) =>
  Object.entries(vars).reduce((s, [k, v]) => s.replace(`{${k}}`, String(v)), text);

/** Every intake the list names once: taken in today first, then the ones in hand, oldest first. */
function inHand(work: WorkList | undefined): WorkIntake[] {
  if (!work) return [];
  const all = [
    ...work.takenIn,
    ...work.toCertify,
    ...work.toDismantle,
    ...work.toDeregister,
    ...work.deregistrationAwaited,
  ];
  return [...new Map(all.map((i) => [i.vehicleIntakeId, i])).values()];
}

export function Dismantler() {
  const { t, session, reference } = useApp();
  const dismantlerId = session?.principal.scope ?? '';
  const tz = reference?.city.timezone ?? 'Asia/Shanghai';
  const work = useLoad(
    (signal) =>
      api<WorkList>('dismantling', `dismantlers/${encodeURIComponent(dismantlerId)}/work-list`, { signal }),
    [dismantlerId],
  );
  const [search, setSearch] = useSearchParams();
  const takingIn = search.get('takeIn') ?? '';
  const openIntake = search.get('intake') ?? '';
  const openForm = FORMS.find((f) => f === search.get('form'));
  const certificateNo = search.get('certificate') ?? '';
  /** Names what the desk has open in the address (replacing, so Back leaves the desk). */
  const show = (params: Record<string, string>) => setSearch(params, { replace: true });

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
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();

  const fillFrom = (p: WorkPickup) => {
    set({
      pickupId: p.pickupId,
      vin: p.vehicle.vin ?? '',
      vehicleType: p.vehicle.vehicleType ?? emptyForm.vehicleType,
      fuelType: p.vehicle.fuelType ?? emptyForm.fuelType,
      emissionStandard: p.vehicle.emissionStandard ?? emptyForm.emissionStandard,
      registrationDate: p.vehicle.registrationDate ?? '',
    });
    setError(undefined);
    setNotice(undefined);
  };
  const startTakeIn = (p: WorkPickup) => {
    fillFrom(p);
    show({ takeIn: p.pickupId });
    setTimeout(() => document.querySelector<HTMLElement>('input[name=plate]')?.focus(), 0);
  };
  // After a reload the address still names the booking being taken in: fill the form from the list.
  useEffect(() => {
    if (!takingIn || form.pickupId === takingIn || !work.data) return;
    const p = [...work.data.toTakeIn, ...work.data.due, ...work.data.upcoming].find(
      (x) => x.pickupId === takingIn,
    );
    if (p) fillFrom(p);
  }, [takingIn, work.data]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    const now = new Date().toISOString();
    const priceFen = yuanToFen(form.priceYuan) ?? form.priceYuan;
    try {
      const created = await api<{ vehicleIntakeId: string }>('dismantling', 'vehicle-intakes', {
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
      setNotice(`${t('saved')}: ${created.vehicleIntakeId}`);
      // The owner's identity does not stay on a shared desk's screen.
      setForm(emptyForm);
      show({});
      work.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  /** An action from the list that needs no form: the certificate, shown once issued. */
  const certify = async (intake: WorkIntake) => {
    setActionError(undefined);
    try {
      const updated = await api<{ certificate?: { certificateNo: string } }>(
        'dismantling',
        `vehicle-intakes/${encodeURIComponent(intake.vehicleIntakeId)}/certificate`,
        { body: {} },
      );
      work.reload();
      if (updated.certificate) show({ certificate: updated.certificate.certificateNo });
    } catch (err) {
      setActionError(err);
    }
  };

  const intakes = inHand(work.data);
  const formIntake = openForm ? intakes.find((i) => i.vehicleIntakeId === openIntake) : undefined;
  const closeForm = () => show({});
  const afterForm = () => {
    closeForm();
    work.reload();
  };

  return (
    <div className="grid two desk">
      <DayList
        work={work.data}
        error={work.error ?? actionError}
        tz={tz}
        onRefresh={work.reload}
        onTakeIn={startTakeIn}
        onCertify={(i) => void certify(i)}
        onForm={(i, f) => show({ intake: i.vehicleIntakeId, form: f })}
      />

      <section className="card" aria-labelledby="vehicle-intake-title">
        <h2 id="vehicle-intake-title">{t('vehicleIntake')}</h2>
        {takingIn ? (
          <p className="notice" data-testid="taking-in">
            {fill(t('desk.takingIn'), { id: takingIn })}
          </p>
        ) : (
          <p className="muted">{t('desk.fromListHint')}</p>
        )}
        <IntakeForm
          form={form}
          set={set}
          error={error}
          busy={busy}
          notice={notice}
          onSubmit={submit}
          options={reference}
        />
      </section>

      <VehiclesInHand
        intakes={intakes}
        tz={tz}
        onCertify={(i) => void certify(i)}
        onCertificate={(no) => show({ certificate: no })}
        onForm={(i, f) => show({ intake: i.vehicleIntakeId, form: f })}
      />

      {certificateNo ? <CertificateView certificateNo={certificateNo} onClose={closeForm} /> : null}
      {formIntake && openForm === 'dismantling' ? (
        <DismantlingForm
          key={formIntake.vehicleIntakeId}
          intake={formIntake}
          onDone={afterForm}
          onCancel={closeForm}
        />
      ) : null}
      {formIntake && openForm === 'deregister' ? (
        <DeregistrationForm
          key={formIntake.vehicleIntakeId}
          intake={formIntake}
          onDone={afterForm}
          onCancel={closeForm}
        />
      ) : null}
      {formIntake && openForm === 'outcome' ? (
        <OutcomeForm
          key={formIntake.vehicleIntakeId}
          intake={formIntake}
          today={localDate(tz)}
          onDone={afterForm}
          onCancel={closeForm}
        />
      ) : null}
    </div>
  );
}

/** The site's day: what to do next, from the list the server keeps. */
function DayList({
  work,
  error,
  tz,
  onRefresh,
  onTakeIn,
  onCertify,
  onForm,
}: {
  work: WorkList | undefined;
  error: unknown;
  tz: string;
  onRefresh: () => void;
  onTakeIn: (p: WorkPickup) => void;
  onCertify: (i: WorkIntake) => void;
  onForm: (i: WorkIntake, form: FormKind) => void;
}) {
  const { t, codeName } = useApp();
  const pickupRow = (p: WorkPickup) => (
    <li key={p.pickupId} data-testid={`expected-${p.pickupId}`} className={p.overdue ? 'overdue' : ''}>
      <div>
        <strong>{p.slot.date}</strong> {p.slot.window} · {codeName('districts', p.districtCode)}
        {p.overdue ? <span className="badge status-failed"> {t('work.overdue')}</span> : null}
      </div>
      <div className="muted">
        {[
          codeName('vehicleTypes', p.vehicle.vehicleType ?? ''),
          p.vehicle.plateMasked,
          p.vehicle.vin,
          `${t('pickupId')} ${p.pickupId}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
      <button type="button" onClick={() => onTakeIn(p)} data-testid={`take-in-${p.pickupId}`}>
        {t('desk.takeIn')}
      </button>
    </li>
  );
  const pickups = (key: 'toTakeIn' | 'due' | 'upcoming', testId: string, items: WorkPickup[]) => (
    <section className="work-section" data-testid={testId}>
      <h3>
        {t(`desk.${key}`)} ({items.length})
      </h3>
      {items.length === 0 ? (
        <p className="muted">{t('desk.nothing')}</p>
      ) : (
        <ul className="arrivals">{items.map(pickupRow)}</ul>
      )}
    </section>
  );
  const todo = (
    key: 'toCertify' | 'toDismantle' | 'toDeregister' | 'deregistrationAwaited',
    testId: string,
    items: WorkIntake[],
    action: (i: WorkIntake) => { label: MessageKey; testId: string; run: () => void },
  ) => (
    <section className="work-section" data-testid={testId}>
      <h3>
        {t(`desk.${key}`)} ({items.length})
      </h3>
      {items.length === 0 ? (
        <p className="muted">{t('desk.nothing')}</p>
      ) : (
        <ul className="arrivals">
          {items.map((i) => {
            const a = action(i);
            return (
              <li key={i.vehicleIntakeId} data-testid={`todo-${i.vehicleIntakeId}`}>
                <div>
                  <strong>{i.plateMasked}</strong> · {codeName('vehicleTypes', i.vehicleType)} · {i.vin}
                </div>
                <div className="muted">
                  {t('desk.receivedAt')} {localDateTime(i.receivedAt, tz)}
                  {i.certificateNo ? ` · ${t('certificateNo')} ${i.certificateNo}` : ''}
                </div>
                {i.deregistration?.state === 'rejected' && i.deregistration.reason ? (
                  <div className="muted">
                    {fill(t('desk.refusedBefore'), { reason: i.deregistration.reason })}
                  </div>
                ) : null}
                <button type="button" onClick={a.run} data-testid={a.testId}>
                  {t(a.label)}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
  return (
    <section className="card" data-testid="work-list" aria-labelledby="work-title">
      <div className="card-head">
        <h2 id="work-title">
          {t('work.title')} {work ? `· ${work.date}` : ''}
        </h2>
        <button type="button" className="link" onClick={onRefresh} data-testid="expected-refresh">
          {t('refresh')}
        </button>
      </div>
      <ProblemView error={error} />
      {work ? (
        <>
          <dl className="figures" data-testid="work-totals">
            <div>
              <dt>{t('desk.takenIn')}</dt>
              <dd data-testid="total-taken-in">{work.totals.takenIn}</dd>
            </div>
            <div>
              <dt>{t('desk.paidToday')}</dt>
              <dd>¥{fenToYuan(work.totals.paidFen ?? 0)}</dd>
            </div>
            <div>
              <dt>{t('desk.toCertify')}</dt>
              <dd>{work.totals.toCertify}</dd>
            </div>
            <div>
              <dt>{t('desk.toDismantle')}</dt>
              <dd>{work.totals.toDismantle}</dd>
            </div>
          </dl>
          {pickups('toTakeIn', 'work-to-take-in', work.toTakeIn)}
          {pickups('due', 'work-due', work.due)}
          {todo('toCertify', 'work-to-certify', work.toCertify, (i) => ({
            label: 'issueCertificate',
            testId: `certify-${i.vehicleIntakeId}`,
            run: () => onCertify(i),
          }))}
          {todo('toDismantle', 'work-to-dismantle', work.toDismantle, (i) => ({
            label: 'dismantlingRecord',
            testId: `dismantle-${i.vehicleIntakeId}`,
            run: () => onForm(i, 'dismantling'),
          }))}
          {todo('toDeregister', 'work-to-deregister', work.toDeregister, (i) => ({
            label: 'desk.requestDeregistration',
            testId: `deregister-${i.vehicleIntakeId}`,
            run: () => onForm(i, 'deregister'),
          }))}
          {todo('deregistrationAwaited', 'work-deregistration-awaited', work.deregistrationAwaited, (i) => ({
            label: 'desk.recordOutcome',
            testId: `outcome-${i.vehicleIntakeId}`,
            run: () => onForm(i, 'outcome'),
          }))}
          {pickups('upcoming', 'work-upcoming', work.upcoming)}
        </>
      ) : null}
    </section>
  );
}

/** Where each vehicle in hand stands, with the actions of its next step. */
function stageOf(i: WorkIntake): Array<{ key: MessageKey; tone?: 'good' | 'bad' }> {
  if (i.status === 'voided') return [{ key: 'desk.stage.voided', tone: 'bad' }];
  const out: Array<{ key: MessageKey; tone?: 'good' | 'bad' }> = [{ key: 'desk.stage.received' }];
  if (i.certificateNo) out.push({ key: 'desk.stage.certified', tone: 'good' });
  if (i.deregistration?.state === 'requested') out.push({ key: 'desk.stage.deregRequested' });
  if (i.deregistration?.state === 'completed') out.push({ key: 'desk.stage.deregistered', tone: 'good' });
  if (i.deregistration?.state === 'rejected') out.push({ key: 'desk.stage.deregRejected', tone: 'bad' });
  if (i.dismantledAt) out.push({ key: 'dismantled', tone: 'good' });
  return out;
}

function VehiclesInHand({
  intakes,
  tz,
  onCertify,
  onCertificate,
  onForm,
}: {
  intakes: WorkIntake[];
  tz: string;
  onCertify: (i: WorkIntake) => void;
  onCertificate: (no: string) => void;
  onForm: (i: WorkIntake, form: FormKind) => void;
}) {
  const { t, codeName } = useApp();
  return (
    <section className="card wide" aria-labelledby="in-hand-title">
      <h2 id="in-hand-title">{t('desk.inHand')}</h2>
      <p className="muted">{t('desk.inHandHint')}</p>
      {intakes.length === 0 ? <p className="muted">{t('empty')}</p> : null}
      <div className="table-wrap">
        <table data-testid="vehicle-intakes">
          <thead>
            <tr>
              <th scope="col">{t('desk.vehicle')}</th>
              <th scope="col">{t('desk.receivedAt')}</th>
              <th scope="col">{t('desk.stage')}</th>
              <th scope="col">{t('desk.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {intakes.map((i) => (
              <tr
                key={i.vehicleIntakeId}
                data-testid={`vehicle-intake-${i.vehicleIntakeId}`}
                data-pickup={i.pickupId ?? ''}
                data-status={i.status}
                data-dismantled={i.dismantledAt ? 'yes' : 'no'}
                className={i.status === 'voided' ? 'withdrawn' : ''}
              >
                <td>
                  <strong>{i.plateMasked}</strong> · {codeName('vehicleTypes', i.vehicleType)}
                  <div className="muted">
                    {i.vin} · {i.vehicleIntakeId}
                    {i.pickupId ? ` · ${t('pickupId')} ${i.pickupId}` : ''}
                  </div>
                </td>
                <td>
                  {localDateTime(i.receivedAt, tz)}
                  <div className="muted">¥{fenToYuan(i.priceFen)}</div>
                </td>
                <td>
                  {stageOf(i).map((s) => (
                    <span
                      key={s.key}
                      className={`badge stage ${s.tone === 'good' ? 'status-certified' : s.tone === 'bad' ? 'status-failed' : ''}`}
                    >
                      {t(s.key)}
                    </span>
                  ))}
                </td>
                <td>
                  <div className="cell-actions">
                    {i.status === 'voided' ? null : i.certificateNo ? (
                      <button
                        type="button"
                        data-testid="open-certificate"
                        onClick={() => onCertificate(i.certificateNo!)}
                      >
                        {t('certificate')} {i.certificateNo}
                      </button>
                    ) : (
                      <button type="button" data-testid="issue-certificate" onClick={() => onCertify(i)}>
                        {t('issueCertificate')}
                      </button>
                    )}
                    {i.status === 'received' && i.certificateNo && !i.dismantledAt ? (
                      <button
                        type="button"
                        data-testid="open-dismantling"
                        onClick={() => onForm(i, 'dismantling')}
                      >
                        {t('dismantlingRecord')}
                      </button>
                    ) : null}
                    {i.status === 'received' &&
                    i.certificateNo &&
                    (!i.deregistration || i.deregistration.state === 'rejected') ? (
                      <button
                        type="button"
                        data-testid="open-deregister"
                        onClick={() => onForm(i, 'deregister')}
                      >
                        {t('desk.requestDeregistration')}
                      </button>
                    ) : null}
                    {i.deregistration?.state === 'requested' ? (
                      <button type="button" data-testid="open-outcome" onClick={() => onForm(i, 'outcome')}>
                        {t('desk.recordOutcome')}
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

interface IntakeFormState {
  pickupId: string;
  vin: string;
  plate: string;
  engineNo: string;
  vehicleType: string;
  fuelType: string;
  emissionStandard: string;
  registrationDate: string;
  curbWeightKg: string;
  priceYuan: string;
  ownerName: string;
  idType: string;
  idNumber: string;
  registrationCertificate: boolean;
  drivingLicence: boolean;
  plates: string;
  consent: boolean;
}

function IntakeForm({
  form,
  set,
  error,
  busy,
  notice,
  onSubmit,
  options,
}: {
  form: IntakeFormState;
  set: (patch: Partial<IntakeFormState>) => void;
  error: unknown;
  busy: boolean;
  notice: string | undefined;
  onSubmit: (e: FormEvent) => void;
  options: ReturnType<typeof useApp>['reference'];
}) {
  const { t } = useApp();
  return (
    <form onSubmit={onSubmit} data-testid="vehicle-form">
      <div className="row">
        <Field label={t('pickupId')} field="pickupId" error={error}>
          <input name="pickupId" value={form.pickupId} onChange={(e) => set({ pickupId: e.target.value })} />
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
          <input name="engineNo" value={form.engineNo} onChange={(e) => set({ engineNo: e.target.value })} />
        </Field>
      </div>
      <div className="row">
        <Field label={t('vehicleType')} field="vehicleType" error={error}>
          <CodeSelect
            name="vehicleType"
            options={options?.vehicleTypes}
            value={form.vehicleType}
            onChange={(v) => set({ vehicleType: v })}
          />
        </Field>
        <Field label={t('fuelType')} field="fuelType" error={error}>
          <CodeSelect
            name="fuelType"
            options={options?.fuelTypes}
            value={form.fuelType}
            onChange={(v) => set({ fuelType: v })}
          />
        </Field>
        <Field label={t('emissionStandard')} field="emissionStandard" error={error}>
          <CodeSelect
            name="emissionStandard"
            options={options?.emissionStandards}
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
            name="documentsReceived.plates"
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
              options={options?.idDocumentTypes}
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
        <div className="notice" role="status" data-testid="vehicle-notice">
          {notice}
        </div>
      ) : null}
      <button type="submit" className="primary" disabled={busy} data-testid="vehicle-submit">
        {t('submit')}
      </button>
    </form>
  );
}

/** A form opened from the list; its heading takes the focus, so the desk sees where it is. */
function FormCard({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'nearest' });
    heading.current?.focus();
  }, []);
  return (
    <section className="card wide desk-form" data-testid={testId}>
      <h2 ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function DismantlingForm({
  intake,
  onDone,
  onCancel,
}: {
  intake: WorkIntake;
  onDone: () => void;
  onCancel: () => void;
}) {
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
    <FormCard
      title={`${t('dismantlingRecord')} · ${intake.plateMasked} · ${intake.vin}`}
      testId="dismantling-card"
    >
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
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </FormCard>
  );
}

function DeregistrationForm({
  intake,
  onDone,
  onCancel,
}: {
  intake: WorkIntake;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const [office, setOffice] = useState('');
  const [error, setError] = useState<unknown>();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api(
        'dismantling',
        `vehicle-intakes/${encodeURIComponent(intake.vehicleIntakeId)}/deregistration`,
        {
          body: office.trim() ? { trafficPoliceOffice: office.trim() } : {},
        },
      );
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <FormCard
      title={`${t('desk.requestDeregistration')} · ${intake.plateMasked} · ${intake.vin}`}
      testId="deregister-card"
    >
      <form onSubmit={save} data-testid="deregister-form">
        <Field
          label={`${t('desk.trafficPoliceOffice')}${t('optional')}`}
          field="trafficPoliceOffice"
          error={error}
        >
          <input name="trafficPoliceOffice" value={office} onChange={(e) => setOffice(e.target.value)} />
        </Field>
        <ProblemView error={error} />
        <div className="row">
          <button type="submit" className="primary" data-testid="deregister-submit">
            {t('desk.requestDeregistration')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </FormCard>
  );
}

function OutcomeForm({
  intake,
  today,
  onDone,
  onCancel,
}: {
  intake: WorkIntake;
  today: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const [state, setState] = useState<'completed' | 'rejected'>('completed');
  const [certificateNo, setCertificateNo] = useState('');
  const [on, setOn] = useState(today);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api(
        'dismantling',
        `vehicle-intakes/${encodeURIComponent(intake.vehicleIntakeId)}/deregistration/outcome`,
        {
          method: 'PUT',
          body:
            state === 'completed'
              ? { state, deregistrationCertificateNo: certificateNo, ...(on ? { deregisteredOn: on } : {}) }
              : { state, reason },
        },
      );
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <FormCard
      title={`${t('desk.recordOutcome')} · ${intake.plateMasked} · ${intake.vin}`}
      testId="outcome-card"
    >
      <form onSubmit={save} data-testid="outcome-form">
        <fieldset>
          <legend>{t('desk.outcome')}</legend>
          {(['completed', 'rejected'] as const).map((s) => (
            <label className="check" key={s}>
              <input type="radio" name="state" value={s} checked={state === s} onChange={() => setState(s)} />
              {t(`desk.outcome.${s}`)}
            </label>
          ))}
        </fieldset>
        {state === 'completed' ? (
          <div className="row">
            <Field
              label={t('desk.deregistrationCertificateNo')}
              field="deregistrationCertificateNo"
              error={error}
            >
              <input
                name="deregistrationCertificateNo"
                value={certificateNo}
                onChange={(e) => setCertificateNo(e.target.value)}
              />
            </Field>
            <Field label={t('desk.deregisteredOn')} field="deregisteredOn" error={error}>
              <input
                type="date"
                name="deregisteredOn"
                value={on}
                max={today}
                onChange={(e) => setOn(e.target.value)}
              />
            </Field>
          </div>
        ) : (
          <Field label={t('desk.refusalReason')} field="reason" error={error}>
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        )}
        <ProblemView error={error} />
        <div className="row">
          <button type="submit" className="primary" data-testid="outcome-submit">
            {t('desk.recordOutcome')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </FormCard>
  );
}
