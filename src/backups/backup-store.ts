import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { configBackups } from '../db/schema';

export type BackupRow = typeof configBackups.$inferSelect;
export type NewBackup = typeof configBackups.$inferInsert;

/** The stored backup of the same system taken at the same instant, if the insert met one (a retried record). */
export async function insertBackup(db: Db, backup: NewBackup): Promise<{ row: BackupRow; created: boolean }> {
  const [inserted] = await db.insert(configBackups).values(backup).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, created: true };
  const [stored] = await db
    .select()
    .from(configBackups)
    .where(
      and(
        eq(configBackups.customerId, backup.customerId),
        eq(configBackups.systemId, backup.systemId),
        eq(configBackups.takenAt, backup.takenAt),
      ),
    );
  if (!stored) throw new Error(`config backup ${backup.id} neither inserted nor found`);
  return { row: stored, created: false };
}

/** Newest first: one a year per system, so a customer's whole list is short. */
export async function customerBackups(db: Db, customerId: string): Promise<BackupRow[]> {
  return db
    .select()
    .from(configBackups)
    .where(eq(configBackups.customerId, customerId))
    .orderBy(desc(configBackups.takenAt), desc(configBackups.id));
}
