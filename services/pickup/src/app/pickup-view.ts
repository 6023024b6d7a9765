import { maskName, maskPhone, maskPlate, pickupStatuses, type CityProfile } from '@recycling/contracts';
import { cancelPermission, isOpen, reschedulePermission, type Permission } from '../domain/pickup-lifecycle';
import { localDateOf } from '../domain/local-dates';
import type { Viewer } from '../domain/access';
import type { PickupDoc } from '../store/models';

// What each viewer gets of a pickup. The resident sees everything they entered. The crew needs the
// address and phone to make the visit, so the assigned operator sees them while the pickup is open
// and masked once it is closed. Administrators watch the flow and get masked contact data only.

const permissionView = (p: Permission) =>
  p.allowed
    ? { allowed: true, ...(p.until ? { until: p.until } : {}) }
    : { allowed: false, code: p.code, reason: { zh: p.reason_zh, en: p.reason } };

const iso = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString());

export function pickupView(
  doc: PickupDoc,
  viewer: Viewer,
  profile: CityProfile,
  today: string = localDateOf(new Date(), profile.timezone),
) {
  const full = viewer === 'resident' || (viewer === 'operator' && isOpen(doc.status));
  const collector = doc.visit?.collector;
  const district = profile.districts.find((d) => d.code === doc.address.districtCode);
  return {
    pickupId: doc._id,
    kind: doc.kind,
    status: doc.status,
    statusName: pickupStatuses[doc.status].name,
    ...(doc.appliances ? { appliances: doc.appliances } : {}),
    ...(doc.vehicle
      ? {
          vehicle: {
            ...doc.vehicle,
            plate: full ? doc.vehicle.plate : maskPlate(doc.vehicle.plate),
          },
        }
      : {}),
    address: {
      districtCode: doc.address.districtCode,
      ...(district ? { districtName: district.name } : {}),
      ...(full ? { detail: doc.address.detail } : {}),
    },
    contact: full
      ? doc.contact
      : {
          ...(doc.contact.name ? { name: maskName(doc.contact.name) } : {}),
          phone: maskPhone(doc.contact.phone),
        },
    ...(doc.note && full ? { note: doc.note } : {}),
    slot: doc.slot,
    ...(doc.visit
      ? {
          visit: {
            date: doc.visit.date,
            window: doc.visit.window,
            ...(doc.visit.crewId ? { crewId: doc.visit.crewId } : {}),
            // The resident and the crew's own site see who comes; administrators see it masked.
            ...(collector
              ? {
                  collector:
                    viewer === 'administrator'
                      ? { name: maskName(collector.name), phone: maskPhone(collector.phone) }
                      : collector,
                }
              : {}),
          },
        }
      : {}),
    // What the resident may do now, with the rule in words when they may not (the state machine decides).
    ...(viewer === 'resident'
      ? {
          actions: {
            cancel: permissionView(cancelPermission(doc.status)),
            reschedule: permissionView(reschedulePermission(doc.status, (doc.visit ?? doc.slot).date, today)),
          },
        }
      : {}),
    assignedSite: { kind: doc.assignedSite.kind, siteId: doc.assignedSite.siteId },
    ...(doc.collected ? { collected: { ...doc.collected, at: iso(doc.collected.at) } } : {}),
    ...(doc.failure ? { failure: doc.failure } : {}),
    ...(doc.cancellation ? { cancellation: doc.cancellation } : {}),
    ...(doc.delivery ? { delivery: { ...doc.delivery, at: iso(doc.delivery.at) } } : {}),
    ...(doc.certificate ? { certificate: { ...doc.certificate, at: iso(doc.certificate.at) } } : {}),
    history: doc.history.map((h) => ({
      status: h.status,
      event: h.event,
      at: iso(h.at)!,
      by: viewer === 'administrator' ? h.by : { role: h.by.role },
      ...(h.note ? { note: h.note } : {}),
      ...(h.ref ? { ref: h.ref } : {}),
    })),
    createdAt: iso(doc.createdAt)!,
    updatedAt: iso(doc.updatedAt)!,
  };
}
export type PickupView = ReturnType<typeof pickupView>;
