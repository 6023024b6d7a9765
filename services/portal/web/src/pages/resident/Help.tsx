// 帮助: the rules in plain words, once, where a resident looks for them.
import { useApp } from '../../lib/context';
import type { MessageKey } from '../../lib/dictionary';

const QUESTIONS: Array<[MessageKey, MessageKey]> = [
  ['help.q.what', 'help.a.what'],
  ['help.q.where', 'help.a.where'],
  ['help.q.change', 'help.a.change'],
  ['help.q.who', 'help.a.who'],
  ['help.q.money', 'help.a.money'],
  ['help.q.privacy', 'help.a.privacy'],
];

export default function Help() {
  const { t, lang, setLang } = useApp();
  return (
    <section className="screen">
      <h1>{t('tab.help')}</h1>
      {QUESTIONS.map(([q, a]) => (
        <details key={q} className="card faq">
          <summary>{t(q)}</summary>
          <p>{t(a)}</p>
        </details>
      ))}
      <div className="card">
        <h2>{t('help.language')}</h2>
        <button type="button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
      </div>
    </section>
  );
}
