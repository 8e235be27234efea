/** Name of the member that pads a JSON answer; clients ignore members they do not know (RFC 6749 5.1). */
const PADDING_MEMBER = 'emulator_padding';

/**
 * `body` as JSON text of exactly `bytes` bytes, grown by a padding member, so a
 * test can check a client's response size limit with an otherwise valid answer.
 * A size smaller than the plain answer leaves it unpadded.
 */
export function paddedJson(body: Record<string, unknown>, bytes: number | undefined): string {
  const plain = JSON.stringify(body);
  if (!bytes) return plain;
  const empty = JSON.stringify({ ...body, [PADDING_MEMBER]: '' });
  const missing = bytes - Buffer.byteLength(empty);
  return missing < 0 ? plain : JSON.stringify({ ...body, [PADDING_MEMBER]: 'x'.repeat(missing) });
}
