/**
 * Text that SpectroCloud sends back (error descriptions) is shown to users.
 * Cut it short and blank out anything long enough to be a token or a code.
 */
export function sanitizeIdpText(text: unknown): string | undefined {
  if (typeof text !== 'string' || !text.trim()) return undefined;
  return text
    .replace(/[A-Za-z0-9_\-.~+/=]{24,}/g, '[redacted]')
    .replace(/[\r\n\t]+/g, ' ')
    .slice(0, 200)
    .trim();
}
