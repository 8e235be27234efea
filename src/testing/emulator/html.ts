/** Every user-supplied value goes through this before it reaches a page. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The shared page frame; `body` must already be escaped HTML. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
ul { list-style: none; padding: 0; }
li { border: 1px solid #ccc; border-radius: 6px; padding: .75rem; margin: .5rem 0; }
.meta { color: #555; font-size: .9rem; }
button { cursor: pointer; }
</style>
</head>
<body>
<p class="meta">SpectroCloud Palette emulator - for tests and local development only</p>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}
