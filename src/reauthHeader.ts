/**
 * The response header a backend plugin sets (value `true`) when it holds no
 * Palette token for the caller, and the frontend's re-auth
 * fetch wrapper reacts to. One constant for both ends, exported by
 * `.../palette-tokens` and `.../frontend` under the same name. Why public: a
 * plugin with its own error handling sets it so the frontend re-authenticates.
 *
 * @public
 */
export const SPECTROCLOUD_REAUTH_HEADER = 'X-SpectroCloud-ReAuth-Required';
