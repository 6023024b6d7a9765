// 以旧换新补贴 in the resident's app: my claims with the money received, a claim followed like a parcel,
// and the claim itself, one task per screen. Loaded only when opened; where the city runs no subsidies
// service (the proxy answers 404) it says so instead.
import { Route, Routes } from 'react-router';
import '../common/common.css';
import { Apply } from './subsidies/Apply';
import { ClaimPage } from './subsidies/ClaimPage';
import { MyClaims } from './subsidies/MyClaims';

export default function Subsidies() {
  return (
    <Routes>
      <Route index element={<MyClaims />} />
      <Route path="apply" element={<Apply />} />
      <Route path=":claimId" element={<ClaimPage />} />
    </Routes>
  );
}
