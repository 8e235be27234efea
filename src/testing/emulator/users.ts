import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { EmulatorUser } from './types';

/** A user with every optional field filled in. */
export interface DirectoryUser {
  id: string;
  email: string;
  given_name: string;
  family_name: string;
  name: string;
  groups: string[];
  picture?: string;
}

/** The tenant's users, looked up by email (case-insensitively, like email addresses). */
export class UserDirectory {
  readonly #byEmail = new Map<string, DirectoryUser>();

  constructor(users: EmulatorUser[] = []) {
    users.forEach((u, i) => this.add(u, `users[${i}]`));
  }

  add(user: EmulatorUser, where = 'user'): void {
    const normalized = normalizeUser(user, where);
    const key = normalized.email.toLowerCase();
    if (this.#byEmail.has(key)) throw new Error(`SpectroCloud emulator: ${where}: email "${normalized.email}" is already registered`);
    this.#byEmail.set(key, normalized);
  }

  find(email: string | undefined): DirectoryUser | undefined {
    return email ? this.#byEmail.get(email.toLowerCase()) : undefined;
  }

  list(): DirectoryUser[] {
    return [...this.#byEmail.values()];
  }
}

/** Reads `{ users: [...] }` from a YAML or JSON file (YAML is a superset of JSON). */
export function loadUsersFile(path: string): EmulatorUser[] {
  const doc = load(readFileSync(path, 'utf8')) as { users?: unknown } | null;
  if (!doc || !Array.isArray(doc.users)) {
    throw new Error(`SpectroCloud emulator: users file "${path}" must contain a "users" list`);
  }
  return doc.users as EmulatorUser[];
}

function normalizeUser(user: EmulatorUser, where: string): DirectoryUser {
  if (!user || typeof user.email !== 'string' || !user.email.includes('@')) {
    throw new Error(`SpectroCloud emulator: ${where}: "email" must be an email address`);
  }
  for (const field of ['id', 'given_name', 'family_name', 'name', 'picture'] as const) {
    if (user[field] !== undefined && typeof user[field] !== 'string') {
      throw new Error(`SpectroCloud emulator: ${where}: "${field}" must be a string`);
    }
  }
  if (user.groups !== undefined && !(Array.isArray(user.groups) && user.groups.every(g => typeof g === 'string'))) {
    throw new Error(`SpectroCloud emulator: ${where}: "groups" must be a list of strings`);
  }
  const given = user.given_name ?? '';
  const family = user.family_name ?? '';
  return {
    id: user.id ?? stableId(user.email),
    email: user.email,
    given_name: given,
    family_name: family,
    name: user.name ?? (`${given} ${family}`.trim() || user.email),
    groups: [...(user.groups ?? [])],
    ...(user.picture ? { picture: user.picture } : {}),
  };
}

// Palette's `sub` is an opaque user id, not the email; derive one so clients cannot conflate them.
function stableId(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 24);
}
