// A person is an email with roles; channel identities are learnt later, when they first reach the bot.
export const ROLES = ["auditor", "qa", "fsm", "service_leader", "manager", "lead_professional", "champion"] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  email: string;
  name: string;
  roles: Role[];
  serviceArea: string | null;
  managerEmail: string | null;
  /** Cases this auditor takes a month; the seed guide says 1 to 2. */
  monthlyCapacity: number;
  /** Set by the person ("away until DATE"): no reminders until then. Not part of the people file. */
  awayUntil?: string | null;
  /** Where they get their cards when reachable in both Teams and Slack; absent: the organisation's default. */
  chat?: Chat | null;
}

export const CHATS = ["teams", "slack"] as const;
export type Chat = (typeof CHATS)[number];

export function hasRole(person: Person, role: Role): boolean {
  return person.roles.includes(role);
}
