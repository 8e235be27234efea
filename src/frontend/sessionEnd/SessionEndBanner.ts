import { createElement, type CSSProperties, type ReactElement } from 'react';
import type { SessionEndNotice } from './SessionEndWatch';
import { sessionEndText } from './sessionEndText';

export interface SessionEndBannerProps {
  notice: SessionEndNotice;
  /** a renewal or sign-in is running: its button is disabled */
  busy: boolean;
  /** why the last renewal did not complete, in words for the user */
  problem?: string;
  onRenew: () => void;
  onDismiss: () => void;
}

// Backstage UI's design tokens where the app loads them (they follow its light and dark themes), else close equivalents.
const banner: CSSProperties = {
  position: 'fixed',
  bottom: 16,
  left: '50%',
  transform: 'translateX(-50%)',
  zIndex: 1400, // above MUI's app bar and drawers, like its snackbars
  maxWidth: 'min(640px, calc(100vw - 32px))',
  display: 'flex',
  flexWrap: 'wrap',
  alignItems: 'center',
  gap: 12,
  padding: '12px 16px',
  borderRadius: 4,
  boxShadow: '0 3px 5px -1px rgba(0,0,0,.2), 0 6px 10px 0 rgba(0,0,0,.14)',
  fontFamily: 'var(--bui-font-regular, inherit)',
  fontSize: 14,
  background: 'var(--bui-bg-warning, #fff4e5)',
  color: 'var(--bui-fg-warning-on-bg, #663c00)',
  border: '1px solid var(--bui-border-warning, #ffb74d)',
};
const ended: CSSProperties = {
  ...banner,
  background: 'var(--bui-bg-danger, #fdecea)',
  color: 'var(--bui-fg-danger-on-bg, #611a15)',
  border: '1px solid var(--bui-border-danger, #f44336)',
};
const button: CSSProperties = { font: 'inherit', fontWeight: 600, padding: '4px 12px', borderRadius: 4, cursor: 'pointer' };

/**
 * The warning and the final notice. `role="alert"` makes screen readers
 * announce them as they appear; focus stays where the user is (they may be
 * typing), and both buttons are ordinary buttons in the tab order.
 */
export function SessionEndBanner(props: SessionEndBannerProps): ReactElement | null {
  const { notice, busy, problem, onRenew, onDismiss } = props;
  if (notice.kind === 'none') return null;
  const isWarning = notice.kind === 'warning';
  const text = sessionEndText(notice);
  return createElement(
    'div',
    { role: 'alert', 'aria-live': 'assertive', 'data-spectrocloud-session-end': notice.kind, style: isWarning ? banner : ended },
    createElement('span', { style: { flex: '1 1 240px' } }, text.message),
    problem ? createElement('span', { role: 'status', style: { flexBasis: '100%' } }, problem) : null,
    createElement('button', { type: 'button', onClick: onRenew, disabled: busy, style: button }, text.renew),
    createElement('button', { type: 'button', onClick: onDismiss, disabled: busy, style: { ...button, fontWeight: 400 } }, 'Dismiss'),
  );
}
