/**
 * The User entity name for an email without a catalog entry: its local part
 * without `+tag`, lower-cased, characters Backstage's entity names do not allow
 * replaced by `_`, and trimmed to the 63 characters a name may have (the
 * normalisation Backstage's Microsoft Graph and LDAP ingestion apply).
 */
export function entityNameFromEmail(email: string): string | undefined {
  const localPart = email.slice(0, email.lastIndexOf('@')).split('+')[0];
  return normalizeEntityName(localPart);
}

/** `undefined` when nothing usable is left (e.g. a local part of only symbols). */
export function normalizeEntityName(raw: string): string | undefined {
  const name = raw
    .trim()
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9_.-]/g, '_')
    .slice(0, 63)
    // Names begin and end with a letter or digit.
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name.length > 0 ? name : undefined;
}

/** The domain of an email, lower-cased, for `allowedDomains`. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLocaleLowerCase('en-US');
}
