import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, mutable, tstz } from "./common";

/** A hospital or department. Every row of patient data belongs to exactly one site. */
export const site = pgTable("site", {
  id: id(),
  code: text("code").notNull().unique(),
  name: text("name").notNull(),
  /** IANA time zone used to show and plan local times (values are stored in UTC). */
  timeZone: text("time_zone").notNull().default("Europe/Amsterdam"),
  /** Regular expression a medical record number must match at this site. */
  mrnPattern: text("mrn_pattern").notNull().default("^[A-Z0-9-]{3,20}$"),
  ...mutable(),
});

export const role = pgEnum("role", [
  "ADMIN",
  "COORDINATOR",
  "PHYSICIAN",
  "PHYSICIST",
  "BOARD_MEMBER",
  "VIEWER",
]);

/** A person who signs in. Named app_user because `user` is reserved in SQL. */
export const appUser = pgTable("app_user", {
  id: id(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  /** argon2id PHC string. */
  passwordHash: text("password_hash").notNull(),
  active: boolean("active").notNull().default(true),
  ...mutable(),
});

/** user × site × role. A user may hold several roles at several sites. */
export const membership = pgTable(
  "membership",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    role: role("role").notNull(),
    ...mutable(),
  },
  (t) => [uniqueIndex("membership_user_site_role").on(t.userId, t.siteId, t.role)],
);

/** Server-side session; the cookie carries a random token, the table only its SHA-256. */
export const session = pgTable(
  "session",
  {
    id: id(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    createdAt: tstz("created_at").notNull().defaultNow(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    /** Absolute expiry, whatever the activity. */
    expiresAt: tstz("expires_at").notNull(),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [index("session_user").on(t.userId)],
);

export const auditOutcome = pgEnum("audit_outcome", ["SUCCESS", "DENIED", "FAILURE"]);

/**
 * Append-only audit trail. No names or free text from clinical records: ids and codes only.
 * UPDATE and DELETE are refused by a trigger (see the migration `audit_event_append_only`).
 */
export const auditEvent = pgTable(
  "audit_event",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: tstz("at").notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    siteId: uuid("site_id"),
    action: text("action").notNull(),
    entityType: text("entity_type"),
    entityId: uuid("entity_id"),
    patientId: uuid("patient_id"),
    outcome: auditOutcome("outcome").notNull(),
    requestId: text("request_id"),
    /** Structured, PHI-free detail (error codes, field names, versions). */
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("audit_event_site_at").on(t.siteId, t.at),
    index("audit_event_patient").on(t.patientId),
    index("audit_event_actor").on(t.actorUserId),
  ],
);

/**
 * History of clinical records: the previous state of a row is stored here, in the same
 * transaction, each time it is updated or voided. Corrections never lose the old value.
 */
export const recordRevision = pgTable(
  "record_revision",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    siteId: uuid("site_id").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: uuid("entity_id").notNull(),
    version: integer("version").notNull(),
    data: jsonb("data").notNull().$type<Record<string, unknown>>(),
    changedBy: uuid("changed_by"),
    changedAt: tstz("changed_at").notNull().defaultNow(),
    reason: text("reason"),
  },
  (t) => [index("record_revision_entity").on(t.entityType, t.entityId)],
);

/** `site_id` of a patient-data row (every such row belongs to exactly one site). */
export const siteRef = () =>
  uuid("site_id")
    .notNull()
    .references(() => site.id);

/** A nullable reference to the user who did something (`administered_by`, `decided_by`, …). */
export const actorRef = (name: string) => uuid(name).references(() => appUser.id);
