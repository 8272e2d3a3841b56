import { upload } from "../../../lib/http.ts";
import type { MessageMedia } from "../../../lib/types.ts";

export const mediaApi = {
  /**
   * Stores `file` for sending (`POST .../media`, multipart field `file`) and resolves to
   * `{id, mime, size, url, filename}`. `onProgress` gets the fraction uploaded (0–1). Throws
   * ApiError: 413 when the file is over the workspace's limit, 415 for a type that can't be sent.
   */
  upload: (workspaceId: string, file: File, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}) => {
    const form = new FormData();
    form.append("file", file, file.name);
    return upload<MessageMedia>(`/api/v1/workspaces/${workspaceId}/media`, form, options);
  },
};
