// Pictures of what residents hand over, drawn inline (no icon font to download on a slow network).
// Decorative: the text beside each one names it, so they are hidden from screen readers.
import type { ReactNode } from 'react';

const shapes: Record<string, ReactNode> = {
  refrigerator: (
    <>
      <rect x="9" y="3" width="14" height="26" rx="2" />
      <path d="M9 13h14M12 7v3M12 16v4" />
    </>
  ),
  'air-conditioner': (
    <>
      <rect x="3" y="8" width="26" height="10" rx="2" />
      <path d="M7 14h18M10 22l-2 4M16 22v4M22 22l2 4" />
    </>
  ),
  'washing-machine': (
    <>
      <rect x="6" y="3" width="20" height="26" rx="2" />
      <circle cx="16" cy="18" r="6" />
      <path d="M10 7h4M21 7h1" />
    </>
  ),
  television: (
    <>
      <rect x="3" y="6" width="26" height="17" rx="2" />
      <path d="M11 28h10M16 23v5" />
    </>
  ),
  monitor: (
    <>
      <rect x="4" y="5" width="24" height="16" rx="1" />
      <path d="M12 27h8M16 21v6" />
    </>
  ),
  microcomputer: (
    <>
      <rect x="3" y="5" width="18" height="13" rx="1" />
      <path d="M8 23h8M12 18v5" />
      <rect x="23" y="7" width="6" height="18" rx="1" />
    </>
  ),
  laptop: (
    <>
      <rect x="6" y="7" width="20" height="13" rx="1" />
      <path d="M3 24h26l-2-4H5z" />
    </>
  ),
  'range-hood': (
    <>
      <path d="M12 3h8v8l8 8H4l8-8z" />
      <path d="M8 23h16" />
    </>
  ),
  'electric-water-heater': (
    <>
      <rect x="5" y="8" width="22" height="12" rx="6" />
      <path d="M12 20v5M20 20v5M16 11l-2 4h4l-2 4" />
    </>
  ),
  'gas-water-heater': (
    <>
      <rect x="8" y="3" width="16" height="24" rx="2" />
      <path d="M16 21c-3-2-2-5 0-8 2 3 3 6 0 8zM12 30v-3M20 30v-3" />
    </>
  ),
  printer: (
    <>
      <rect x="4" y="11" width="24" height="11" rx="2" />
      <path d="M9 11V4h14v7M9 18h14v9H9z" />
    </>
  ),
  copier: (
    <>
      <rect x="4" y="9" width="24" height="18" rx="2" />
      <path d="M4 14h24M9 5h14v4M10 20h12" />
    </>
  ),
  fax: (
    <>
      <rect x="3" y="12" width="26" height="14" rx="2" />
      <path d="M8 12V4h12l4 4v4M8 18h6M18 18h6M18 22h6" />
    </>
  ),
  'mobile-phone': (
    <>
      <rect x="10" y="3" width="12" height="26" rx="2" />
      <path d="M14 25h4" />
    </>
  ),
  telephone: (
    <>
      <path d="M5 12c0-4 22-4 22 0v3h-6v-3H11v3H5z" />
      <rect x="7" y="17" width="18" height="10" rx="2" />
      <circle cx="16" cy="22" r="2" />
    </>
  ),
  vehicle: (
    <>
      <path d="M4 20v-5l3-6h18l3 6v5z" />
      <circle cx="10" cy="22" r="3" />
      <circle cx="22" cy="22" r="3" />
      <path d="M7 15h18" />
    </>
  ),
  appliances: (
    <>
      <rect x="4" y="5" width="11" height="22" rx="2" />
      <path d="M4 13h11" />
      <rect x="18" y="12" width="11" height="15" rx="2" />
      <circle cx="23.5" cy="20" r="3.5" />
    </>
  ),
  pin: (
    <>
      <path d="M16 29s9-8.5 9-15a9 9 0 0 0-18 0c0 6.5 9 15 9 15z" />
      <circle cx="16" cy="14" r="3" />
    </>
  ),
  calendar: (
    <>
      <rect x="4" y="6" width="24" height="22" rx="2" />
      <path d="M4 12h24M10 3v6M22 3v6" />
    </>
  ),
  list: <path d="M10 8h18M10 16h18M10 24h18M4 8h2M4 16h2M4 24h2" />,
  wallet: (
    <>
      <rect x="3" y="8" width="26" height="18" rx="2" />
      <path d="M3 13h26M21 19h4" />
    </>
  ),
  help: (
    <>
      <circle cx="16" cy="16" r="13" />
      <path d="M12 12a4 4 0 1 1 6 3.5c-1.3.8-2 1.5-2 3M16 23v1" />
    </>
  ),
};

export function Icon({ name, size = 32 }: { name: string; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 32 32"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {shapes[name] ?? shapes.appliances}
    </svg>
  );
}
