import { useEffect, useRef, useState } from 'react';
import { SessionState, configApiRef, discoveryApiRef, useApi, useApiHolder, type ApiRef } from '@backstage/core-plugin-api';
import { spectroCloudAuthApiRef, type SpectroCloudAuthApi } from '../apiRef';
import { SpectroCloudFrontendError, SpectroCloudReAuthError } from '../errors';
import { readSessionEnd } from './readSessionEnd';
import type { SessionEndBannerProps } from './SessionEndBanner';
import { SessionEndWatch, type SessionEndNotice } from './SessionEndWatch';
import { openTabChannel } from './tabChannel';

/**
 * Props of `SpectroCloudSessionEndWarning`.
 *
 * @public
 */
export interface SpectroCloudSessionEndWarningProps {
  /** How long before the session's end the warning shows, in seconds; default 300 (5 minutes). */
  leadTimeSeconds?: number;
  /** The auth API of the provider watched; default `spectroCloudAuthApiRef`. */
  apiRef?: ApiRef<SpectroCloudAuthApi>;
  /** Its backend provider id; default `spectrocloud`. */
  providerId?: string;
}

const DEFAULT_LEAD_TIME_SECONDS = 300;

/** The warning's state and actions, apart from their drawing (`SessionEndBanner.ts`). */
export function useSessionEndWarning(props: SpectroCloudSessionEndWarningProps): SessionEndBannerProps {
  const { leadTimeSeconds = DEFAULT_LEAD_TIME_SECONDS, apiRef = spectroCloudAuthApiRef, providerId = 'spectrocloud' } = props;
  const authApi = useApi(apiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const environment = useApiHolder().get(configApiRef)?.getOptionalString('auth.environment') ?? 'development';
  const [notice, setNotice] = useState<SessionEndNotice>({ kind: 'none' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  // Built in the effect, not during render: a watch owns a channel and timers, and StrictMode's second mount gets its own.
  const watchRef = useRef<SessionEndWatch>();
  useEffect(() => {
    const watch = new SessionEndWatch({
      readEnd: () => readSessionEnd({ discoveryApi, providerId, environment, scopes: ['openid', 'profile', 'email'] }, Date.now),
      leadTimeMs: leadTimeSeconds * 1000,
      openChannel: onMessage => openTabChannel(providerId, onMessage),
      onNotice: next => {
        setNotice(next);
        setProblem(undefined);
      },
    });
    watchRef.current = watch;
    const subscription = authApi.sessionState$().subscribe(state => {
      if (state === SessionState.SignedIn) void watch.check();
      else watch.signedOut();
    });
    return () => {
      subscription.unsubscribe();
      watch.close();
      watchRef.current = undefined;
    };
  }, [authApi, discoveryApi, providerId, environment, leadTimeSeconds]);

  const renew = async () => {
    const watch = watchRef.current;
    if (!watch) return;
    const before = notice.kind === 'ended' ? watch.followedUser : undefined;
    setBusy(true);
    try {
      // From the click: the popup opens at once. The session stays until the new sign-in succeeded.
      const after = await authApi.reAuthenticate({ instantPopup: true });
      // After the end, the app holds no session that reAuthenticate could compare with: this tab remembers whose it was.
      if (before && after.identity.userEntityRef !== before) {
        await authApi.signOut().catch(() => undefined);
        throw new SpectroCloudReAuthError('ERR_REAUTH_USER_CHANGED', 'You signed in as another user, so you were signed out; sign in again as the user you were.');
      }
      await watch.renewed();
    } catch (error) {
      if (isUserChanged(error)) watch.showEnded();
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return { notice, busy, problem, onRenew: () => void renew(), onDismiss: () => watchRef.current?.dismiss() };
}

function isUserChanged(error: unknown): boolean {
  return error instanceof SpectroCloudFrontendError && error.code === 'ERR_REAUTH_USER_CHANGED';
}

function problemText(error: unknown): string {
  if (isUserChanged(error)) return (error as Error).message;
  if (error instanceof SpectroCloudFrontendError && (error.code === 'ERR_REAUTH_POPUP_CLOSED' || error.code === 'ERR_REAUTH_REJECTED')) {
    return 'The sign-in was closed before it finished; your session is unchanged.';
  }
  return 'The session could not be renewed; try again.';
}
