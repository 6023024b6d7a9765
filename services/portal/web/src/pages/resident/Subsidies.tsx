// The trade-in subsidy's place in the resident's app. The claim pages come with the subsidies
// service (issue 16, second half); until then this says what the service is, from its own document.
import { useApp } from '../../lib/context';
import { useLoad } from '../../lib/use-load';

export default function Subsidies() {
  const { t, lang } = useApp();
  const doc = useLoad(
    (signal) =>
      fetch('/api/subsidies/openapi.json', { signal }).then((r) =>
        r.ok ? (r.json() as Promise<{ info?: { title?: string; description?: string } }>) : undefined,
      ),
    [],
  );
  const info = doc.data?.info;
  const pick = (s?: string) =>
    s && s.includes(' / ') ? (lang === 'zh' ? s.split(' / ')[0] : s.split(' / ')[1]) : s;
  return (
    <section className="screen card">
      <h1>{t('subsidy.title')}</h1>
      {info ? <p>{pick(info.title)}</p> : null}
      {info?.description ? <p className="muted">{pick(info.description)}</p> : null}
      {!doc.loading && !info ? <p>{t('subsidy.notHere')}</p> : null}
    </section>
  );
}
