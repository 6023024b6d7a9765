// Where the city runs no subsidies service, the portal's proxy answers 404 for it: the pages say
// that online claims are not open instead of showing an error.
import { useApp } from '../../../lib/context';
import { ApiProblem } from '../../../lib/problem';
import { useText } from '../../common/text';
import { subsidyText } from './text';

/** Whether the portal knows no subsidies service (the city runs none): its proxy answers 404. */
export const serviceMissing = (error: unknown): boolean =>
  error instanceof ApiProblem && error.status === 404 && /No service named/.test(error.body.detail ?? '');

/** Shown instead of a page when the city runs no subsidies service. */
export function NotOffered({ error }: { error: unknown }) {
  const tx = useText(subsidyText);
  const { t } = useApp();
  if (!serviceMissing(error)) return null;
  return (
    <section className="screen card">
      <h1>{tx('title')}</h1>
      <p>{t('subsidy.notHere')}</p>
    </section>
  );
}
