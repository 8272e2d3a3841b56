import { eq } from "drizzle-orm";
import type { MediaRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { media } from "../schema/index.ts";

export function mediaRepository(db: Database): MediaRepository {
  return {
    async create(input) {
      await db.insert(media).values(input);
    },
    async findById(id) {
      const [row] = await db.select().from(media).where(eq(media.id, id));
      if (!row) return null;
      return {
        id: row.id,
        workspaceId: row.workspaceId,
        storageKey: row.storageKey,
        mime: row.mime,
        sizeBytes: Number(row.sizeBytes),
        filename: row.filename,
        accessKey: row.accessKey,
        sha256: row.sha256,
      };
    },
  };
}
