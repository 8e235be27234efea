#!/usr/bin/env node
// Prints the code block of docs/frontend.md that follows `<!-- real-app-check: <path> ... -->`,
// so the real-app check wires the app with exactly the lines the docs show.
import { readFileSync } from 'node:fs';

const [doc, path] = process.argv.slice(2);
const text = readFileSync(doc, 'utf8');
const marker = `<!-- real-app-check: ${path} `;
const at = text.indexOf(marker);
if (at < 0) throw new Error(`${doc} has no block marked ${JSON.stringify(marker)}`);
const block = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
if (!block) throw new Error(`${doc}: no code block after the ${path} marker`);
process.stdout.write(block[1]);
