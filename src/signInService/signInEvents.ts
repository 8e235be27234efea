/** `provider`: the provider id (e.g. `spectrocloud-eu`), so one counter object can serve several tenants. */
export interface SignInEvents {
  signIn(provider?: string): void;
  signInFailure(code: string, provider?: string): void;
}
