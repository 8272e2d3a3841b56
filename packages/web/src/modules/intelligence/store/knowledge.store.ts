import type { ApiArticle, ApiCannedResponse, ApiLabel } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { ref } from "vue";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { type ArticleInput, type CannedResponseInput, knowledgeApi, type LabelInput } from "../api/knowledge.api.ts";

const byShortcode = (a: ApiCannedResponse, b: ApiCannedResponse) => a.shortcode.localeCompare(b.shortcode);
const byName = (a: ApiLabel, b: ApiLabel) => a.name.localeCompare(b.name);

/** `list` with `saved` in place of the item with its id (or added), sorted by `order` when given, else first. */
function withSaved<Item extends { id: string }>(list: readonly Item[], saved: Item, order?: (a: Item, b: Item) => number): Item[] {
  const others = list.filter((item) => item.id !== saved.id);
  return order ? [...others, saved].sort(order) : [saved, ...others];
}

/**
 * The workspace's canned responses and label catalogue (loaded once, kept in step with this tab's
 * changes), and the knowledge-base articles of the last search. Writes throw the server's
 * ApiError (a bad shortcode or colour: 400 with its message) and change nothing here then.
 */
export const useKnowledgeStore = defineStore("knowledge", () => {
  let scope: WorkspaceScope | null = null;
  const cannedResponses = ref<ApiCannedResponse[]>([]);
  const cannedLoaded = ref(false);
  const labels = ref<ApiLabel[]>([]);
  const labelsLoaded = ref(false);
  const articles = ref<ApiArticle[]>([]);

  function workspaceId(): string {
    if (!scope) throw new Error("No workspace is open.");
    return scope.workspaceId;
  }

  /** Loads the canned responses (again with `force`). */
  async function loadCannedResponses(force = false): Promise<void> {
    if (!scope || (cannedLoaded.value && !force)) return;
    const { data } = await knowledgeApi.cannedResponses(workspaceId());
    cannedResponses.value = [...data].sort(byShortcode);
    cannedLoaded.value = true;
  }

  async function saveCannedResponse(id: string | null, input: CannedResponseInput): Promise<ApiCannedResponse> {
    const saved = id ? await knowledgeApi.updateCannedResponse(workspaceId(), id, input) : await knowledgeApi.createCannedResponse(workspaceId(), input);
    cannedResponses.value = withSaved(cannedResponses.value, saved, byShortcode);
    return saved;
  }

  async function deleteCannedResponse(id: string): Promise<void> {
    await knowledgeApi.deleteCannedResponse(workspaceId(), id);
    cannedResponses.value = cannedResponses.value.filter((item) => item.id !== id);
  }

  /** Loads the label catalogue (again with `force`). */
  async function loadLabels(force = false): Promise<void> {
    if (!scope || (labelsLoaded.value && !force)) return;
    const { data } = await knowledgeApi.labels(workspaceId());
    labels.value = [...data].sort(byName);
    labelsLoaded.value = true;
  }

  async function saveLabel(id: string | null, input: LabelInput): Promise<ApiLabel> {
    const saved = id ? await knowledgeApi.updateLabel(workspaceId(), id, input) : await knowledgeApi.createLabel(workspaceId(), input);
    labels.value = withSaved(labels.value, saved, byName);
    return saved;
  }

  async function deleteLabel(id: string): Promise<void> {
    await knowledgeApi.deleteLabel(workspaceId(), id);
    labels.value = labels.value.filter((item) => item.id !== id);
  }

  /** The colour of the label named `name` (grey for one not in the catalogue). */
  function labelColor(name: string): string {
    return labels.value.find((label) => label.name === name)?.color ?? "#8696a0";
  }

  /** Lists the articles matching `q` (all, newest first, when empty). */
  async function searchArticles(q = ""): Promise<void> {
    const { data } = await knowledgeApi.articles(workspaceId(), q.trim() ? { q: q.trim() } : {});
    articles.value = data;
  }

  async function saveArticle(id: string | null, input: ArticleInput): Promise<ApiArticle> {
    const saved = id ? await knowledgeApi.updateArticle(workspaceId(), id, input) : await knowledgeApi.createArticle(workspaceId(), input);
    articles.value = withSaved(articles.value, saved);
    return saved;
  }

  async function deleteArticle(id: string): Promise<void> {
    await knowledgeApi.deleteArticle(workspaceId(), id);
    articles.value = articles.value.filter((item) => item.id !== id);
  }

  /** Forgets everything loaded and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    cannedResponses.value = [];
    cannedLoaded.value = false;
    labels.value = [];
    labelsLoaded.value = false;
    articles.value = [];
  }

  return {
    cannedResponses,
    labels,
    articles,
    loadCannedResponses,
    saveCannedResponse,
    deleteCannedResponse,
    loadLabels,
    saveLabel,
    deleteLabel,
    labelColor,
    searchArticles,
    saveArticle,
    deleteArticle,
    reset,
  };
});
