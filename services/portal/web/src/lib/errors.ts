// A refusal as a person reads it: what went wrong in plain words, each field by its name (never its
// path), and what to do. The services' own texts are kept (a domain refusal's `detail` is
// "中文 / English", shown in the language picked); where the portal has a better text for a `code` it
// uses that, and the raw facts (status, code, request id) go only into a collapsed note for support.
import { ApiProblem } from './problem';
import { translateDynamic, type Lang, type MessageKey } from './dictionary';

/** "中文 / English." → the part in `lang`; a text in one language is returned as it is. */
export function inLanguage(text: string, lang: Lang): string {
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  const zh = text.slice(0, at).trim();
  const en = text.slice(at + 3).trim();
  const hasHan = (s: string) => /\p{Script=Han}/u.test(s);
  if (!hasHan(zh) || hasHan(en)) return text;
  return lang === 'zh' ? zh : en;
}

const hasHan = (s: string) => /\p{Script=Han}/u.test(s);

/** Field paths the API reports, by their name on the forms (numbers of rows folded to #). */
const FIELD_LABELS: Record<string, MessageKey> = {
  'address.districtCode': 'district',
  'params.districtCode': 'district',
  'address.detail': 'address',
  'contact.name': 'contactName',
  'contact.phone': 'contactPhone',
  slot: 'slot',
  'slot.date': 'slotDate',
  'slot.window': 'slotWindow',
  appliances: 'whatToCollect',
  'appliances.#.count': 'count',
  'appliances.#.category': 'category',
  vehicle: 'kind.vehicle',
  'vehicle.plate': 'plate',
  'vehicle.vin': 'vin',
  'vehicle.vehicleType': 'vehicleType',
  'vehicle.fuelType': 'fuelType',
  'vehicle.emissionStandard': 'emissionStandard',
  'vehicle.registrationDate': 'registrationDate',
  'source.pickupId': 'pickupId',
  'lines.#.units': 'units',
  'lines.#.weightGrams': 'weightKg',
  'lines.#.priceFen': 'priceYuan',
  'lines.#.category': 'category',
  'seller.name': 'sellerName',
  'seller.idNumber': 'idNumber',
  'seller.idType': 'idType',
  'seller.consentToReverseInvoicing': 'consent',
  'processor.name': 'processorName',
  'processor.licenceNo': 'licenceNo',
  reason: 'reason',
  sub: 'subject',
  scope: 'scope',
};

export const fieldKey = (field: string) => field.replace(/\.\d+(?=\.|$)/g, '.#');

export interface PersonField {
  field: string;
  label: string;
  text: string;
}

export interface PersonProblem {
  title: string;
  message?: string;
  /** What to do next, where the portal knows it for the code (`code.<code>.next`), beside the message. */
  next?: string;
  fields: PersonField[];
  /** For support, shown collapsed: never the main text. */
  support: { status?: number; code?: string; requestId?: string; detail?: string };
}

/** The label of a reported field, or undefined when the portal has no name for it. */
export function fieldLabel(field: string, lang: Lang): string | undefined {
  const exact = FIELD_LABELS[fieldKey(field)];
  if (exact) return translateDynamic(lang, exact, '') || undefined;
  // A role's pages name their own fields (`field.<path>` in the words they register).
  const own = translateDynamic(lang, `field.${fieldKey(field)}`, '');
  if (own) return own;
  const first = field.split('.')[0]!;
  const key = FIELD_LABELS[first];
  if (key) return translateDynamic(lang, key, '') || undefined;
  return translateDynamic(lang, `field.${first}`, '') || undefined;
}

/** The text for one field's error: the portal's hint for the field and code, else the service's. */
export function fieldText(e: { field: string; code: string; message: string }, lang: Lang): string {
  const key = fieldKey(e.field);
  const specific = translateDynamic(lang, `hint.${key}.${e.code}`, '');
  if (specific) return specific;
  // A service's own hint in words (a VIN's check digit, consent missing) is kept, in the language picked.
  if (hasHan(e.message)) return inLanguage(e.message, lang);
  const byField = translateDynamic(lang, `hint.${key}`, '');
  if (byField) return byField;
  return translateDynamic(lang, `zod.${e.code}`, translateDynamic(lang, 'zod.custom', e.message));
}

export function describeProblem(error: unknown, lang: Lang): PersonProblem {
  const t = (key: string, fallback = '') => translateDynamic(lang, key, fallback);
  if (!(error instanceof ApiProblem)) {
    return { title: t('problem.unexpected'), message: t('problem.tryAgain'), fields: [], support: {} };
  }
  const p = error.body;
  const code = typeof (p as { code?: unknown }).code === 'string' ? (p as { code: string }).code : undefined;
  const support = { status: p.status ?? error.status, code, requestId: p.requestId, detail: p.detail };
  const fields = (p.errors ?? []).map((e) => ({
    field: e.field,
    label: fieldLabel(e.field, lang) ?? t('problem.oneField'),
    text: fieldText(e, lang),
  }));
  if (error.status === 0)
    return { title: t('problem.offline'), message: t('problem.offlineWhat'), fields, support };
  if (error.status === 401)
    return { title: t('problem.signedOut'), message: t('problem.signInAgain'), fields, support };
  if (error.status === 502 || error.status === 503 || error.status === 504) {
    return { title: t('problem.unavailable'), message: t('problem.tryLater'), fields, support };
  }
  const byCode = code ? t(`code.${code}`) : '';
  const serverText = p.detail && hasHan(p.detail) ? inLanguage(p.detail, lang) : undefined;
  const title =
    (code && t(`code.${code}.title`)) ||
    (fields.length > 0 && error.status === 400
      ? t('problem.checkFields')
      : (lang === 'zh' ? (p.title_zh ?? p.title) : (p.title ?? p.title_zh)) || t('problem.unexpected'));
  // With field errors the fields say it all; otherwise the portal's text for the code, else the service's.
  const message = fields.length > 0 ? undefined : byCode || serverText || t('problem.tryAgain');
  const next = (code && t(`code.${code}.next`)) || undefined;
  return { title, message, ...(next ? { next } : {}), fields, support };
}
