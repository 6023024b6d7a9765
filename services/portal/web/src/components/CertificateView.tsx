// The recycling certificate as the dismantling service renders it (HTML, Chinese first), shown in a
// frame without scripts and printable from there. Residents see their own, dismantlers their site's.
import { useRef } from 'react';
import { ProblemView } from './ProblemView';
import { apiUrl } from '../lib/api';
import { useApp } from '../lib/context';
import { problemFrom } from '../lib/problem';
import { loadSession } from '../lib/session';
import { useLoad } from '../lib/use-load';

export function CertificateView({ certificateNo, onClose }: { certificateNo: string; onClose?: () => void }) {
  const { t } = useApp();
  const frame = useRef<HTMLIFrameElement>(null);
  const html = useLoad(
    async (signal) => {
      const session = loadSession();
      const res = await fetch(apiUrl('dismantling', `certificates/${encodeURIComponent(certificateNo)}`), {
        headers: session ? { Authorization: `Bearer ${session.token}` } : {},
        signal,
      });
      const text = await res.text();
      if (!res.ok) throw problemFrom(res.status, text);
      return text;
    },
    [certificateNo],
  );
  return (
    <section className="card wide certificate" data-testid="certificate">
      <div className="card-head">
        <h2>
          {t('certificateTitle')} · {certificateNo}
        </h2>
        <div className="row">
          <button type="button" onClick={() => frame.current?.contentWindow?.print()}>
            {t('print')}
          </button>
          {onClose ? (
            <button type="button" onClick={onClose}>
              {t('cancel')}
            </button>
          ) : null}
        </div>
      </div>
      <ProblemView error={html.error} />
      {html.data ? (
        <iframe
          ref={frame}
          title={certificateNo}
          srcDoc={html.data}
          sandbox="allow-same-origin allow-modals"
        />
      ) : null}
    </section>
  );
}
