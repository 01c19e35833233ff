/**
 * The dev tenant's users: the people listed on its login page, found again by the
 * impersonation grant (`user_lookup`) and handed to the engine when it checks app access.
 */

/** A user of the dev tenant. The first four fields are what the engine receives. */
export interface DevTenantUser {
  /** Qlik user id: 24 lower-case hex characters, as Qlik Cloud shows them. */
  id: string;
  /** The identity provider's subject, e.g. `auth0|alice`. */
  subject: string;
  name: string;
  email?: string;
  /** Short handle used on the login page (`<button name="user" value="alice">`). Defaults to `id`. */
  username?: string;
  /** App ids this user may open, or `'*'` for every app (the default). `[]` means none: the engine refuses with 4203. */
  apps?: '*' | readonly string[];
}

/** The demo users shown on the login page when no `users` option is given. */
export const DEFAULT_USERS: readonly DevTenantUser[] = [
  {
    id: '64f0c1a2b3c4d5e6f7a8b9c1',
    subject: 'auth0|alice',
    name: 'Alice Analyst',
    email: 'alice@example.com',
    username: 'alice',
    apps: '*',
  },
  {
    id: '64f0c1a2b3c4d5e6f7a8b9c2',
    subject: 'auth0|bob',
    name: 'Bob Builder',
    email: 'bob@example.com',
    username: 'bob',
    apps: '*',
  },
  {
    id: '64f0c1a2b3c4d5e6f7a8b9c3',
    subject: 'auth0|eve',
    name: 'Eve Outsider',
    email: 'eve@example.com',
    username: 'eve',
    apps: [],
  },
];

/** The two ways the impersonation grant may name a user (`user_lookup.field`). */
export type UserLookupField = 'subject' | 'userId';

const QLIK_USER_ID = /^[0-9a-f]{24}$/;

/** Read-only lookups over the tenant's users. */
export class UserDirectory {
  readonly #users: readonly DevTenantUser[];
  readonly #byId = new Map<string, DevTenantUser>();
  readonly #bySubject = new Map<string, DevTenantUser>();
  readonly #byUsername = new Map<string, DevTenantUser>();

  constructor(users: readonly DevTenantUser[]) {
    for (const user of users) {
      if (!QLIK_USER_ID.test(user.id)) {
        throw new TypeError(`dev tenant user id ${JSON.stringify(user.id)} must be 24 lower-case hex characters, as Qlik user ids are`);
      }
      if (!user.subject || !user.name) {
        throw new TypeError(`dev tenant user ${user.id} needs a subject and a name`);
      }
      const username = user.username ?? user.id;
      for (const [index, key] of [[this.#byId, user.id], [this.#bySubject, user.subject], [this.#byUsername, username]] as const) {
        if (index.has(key)) throw new TypeError(`two dev tenant users share ${JSON.stringify(key)}`);
        index.set(key, user);
      }
    }
    this.#users = users;
  }

  /** Every user, in the order given (the login page's order). */
  get all(): readonly DevTenantUser[] {
    return this.#users;
  }

  byId(id: string | undefined): DevTenantUser | undefined {
    return id === undefined ? undefined : this.#byId.get(id);
  }

  /** The user picked on the login page: by username, falling back to id. */
  byUsername(username: string | undefined): DevTenantUser | undefined {
    return username === undefined ? undefined : (this.#byUsername.get(username) ?? this.#byId.get(username));
  }

  /** `user_lookup: {field, value}` of the impersonation grant. */
  lookup(field: UserLookupField, value: string): DevTenantUser | undefined {
    return field === 'subject' ? this.#bySubject.get(value) : this.#byId.get(value);
  }

  canAccessApp(userId: string, appId: string): boolean {
    const apps = this.#byId.get(userId)?.apps ?? '*';
    return apps === '*' || apps.includes(appId);
  }
}

/** The handle a login-page button submits for this user. */
export function usernameOf(user: DevTenantUser): string {
  return user.username ?? user.id;
}
