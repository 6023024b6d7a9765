// What every page reads: the language, the signed-in session and the city's reference data.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { takeOrGet } from './api';
import { translate, translateDynamic, type Lang, type MessageKey } from './dictionary';
import { loadSession, saveSession, type Session } from './session';

export interface Label {
  zh: string;
  en: string;
}
export interface CodeLabel {
  code: string;
  name: Label;
}
export interface Reference {
  city: { code: string; name: Label; timezone: string };
  districts: Array<CodeLabel & { kind: string }>;
  applianceCategories: Array<CodeLabel & { defaultWeightGrams: number }>;
  vehicleTypes: CodeLabel[];
  fuelTypes: CodeLabel[];
  emissionStandards: CodeLabel[];
  idDocumentTypes: CodeLabel[];
  sortingOutcomes: CodeLabel[];
  majorAssemblies: CodeLabel[];
  pickupStatuses: CodeLabel[];
  targets: {
    baselineYear: number;
    targetYear: number;
    assumed: boolean;
    metrics: Array<CodeLabel & { unit: Label; baseline: number; target: number; growthBp: number }>;
  };
}

interface AppState {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey) => string;
  /** For keys built at run time (role names, zod codes). */
  td: (key: string, fallback: string) => string;
  /** A {zh, en} label in the current language. */
  l: (label: Label | undefined, fallback?: string) => string;
  session: Session | undefined;
  setSession: (s: Session | undefined) => void;
  reference: Reference | undefined;
  /** The label of a code in one of the reference lists. */
  codeName: (list: keyof Reference, code: string) => string;
}

const Ctx = createContext<AppState | undefined>(undefined);

export function AppProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() =>
    localStorage.getItem('recycling.lang') === 'en' ? 'en' : 'zh',
  );
  const [session, setSessionState] = useState<Session | undefined>(() => loadSession());
  const [reference, setReference] = useState<Reference>();

  useEffect(() => {
    takeOrGet<Reference>('portal', 'reference').then(setReference, () => setReference(undefined));
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    localStorage.setItem('recycling.lang', next);
    setLangState(next);
  }, []);
  const setSession = useCallback((s: Session | undefined) => {
    saveSession(s);
    setSessionState(s);
  }, []);

  const value = useMemo<AppState>(() => {
    const l = (label: Label | undefined, fallback = '') => (label ? label[lang] : fallback);
    return {
      lang,
      setLang,
      t: (key) => translate(lang, key),
      td: (key, fallback) => translateDynamic(lang, key, fallback),
      l,
      session,
      setSession,
      reference,
      codeName: (list, code) => {
        const entries = reference?.[list];
        if (!Array.isArray(entries)) return code;
        return l((entries as CodeLabel[]).find((e) => e.code === code)?.name, code);
      },
    };
  }, [lang, setLang, session, setSession, reference]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useApp(): AppState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useApp outside AppProvider');
  return v;
}
