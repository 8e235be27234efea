// `configured` is already de-duplicated (readEnvironmentConfig): most sign-ins ask for nothing more.
export function mergeScopes(configured: string, requested: string | undefined): string {
  if (!requested?.trim()) return configured;
  return [...new Set([...configured.split(' '), ...requested.split(/[\s,]+/)].filter(Boolean))].join(' ');
}
