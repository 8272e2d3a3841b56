import type { ApiContactChange, ApiContactCreate, ApiContactDetail, ApiContactImportReport, ApiLabel } from "@parley/protocol/api";
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { t } from "../../../i18n/index.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { type ContactQuery, contactsApi } from "../api/contacts.api.ts";

/** Contacts per page of the list (the server allows up to 100). */
export const contactsPageSize = 50;

/**
 * The Contacts page: the filtered list, loaded a page at a time as the agent scrolls (a filter
 * change starts again, and an answer for an older filter is dropped), the label catalogue for the
 * chips and the editor, edits, imports and exports. `applyUpdated` takes `contact.updated` events.
 */
export const useContactsStore = defineStore("contacts", () => {
  let scope: WorkspaceScope | null = null;
  function workspace(): string {
    if (!scope) throw new Error(t("errors.noWorkspace"));
    return scope.workspaceId;
  }
  const contacts = ref<ApiContactDetail[]>([]);
  const labels = ref<ApiLabel[]>([]);
  const query = ref<ContactQuery>({});
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const hasMore = computed(() => nextCursor.value !== null);
  /** Bumped on every new filter: pages asked for under an older one are thrown away. */
  let generation = 0;
  let controller: AbortController | null = null;

  async function fetchPage(before: string | null): Promise<void> {
    const workspaceId = workspace();
    const asked = generation;
    controller?.abort();
    controller = new AbortController();
    loading.value = true;
    error.value = null;
    try {
      const page = await contactsApi.list(workspaceId, query.value, { limit: contactsPageSize, before }, controller.signal);
      if (asked !== generation || workspaceId !== scope?.workspaceId) return;
      const known = new Set(contacts.value.map((contact) => contact.id));
      contacts.value = before ? [...contacts.value, ...page.data.filter((contact) => !known.has(contact.id))] : page.data;
      nextCursor.value = page.next_cursor;
      loaded.value = true;
    } catch (caught) {
      if ((caught as Error).name === "AbortError") return;
      if (asked === generation) error.value = caught instanceof Error ? caught.message : t("contacts.list.loadFailed");
    } finally {
      if (asked === generation) loading.value = false;
    }
  }

  /** Shows the first page for `next` (the whole filter). */
  async function search(next: ContactQuery): Promise<void> {
    generation++;
    query.value = { ...next };
    nextCursor.value = null;
    await fetchPage(null);
  }

  /** The next page, when there is one and none is loading (the list calls it near its end). */
  async function loadMore(): Promise<void> {
    if (loading.value || !nextCursor.value) return;
    await fetchPage(nextCursor.value);
  }

  async function loadLabels(): Promise<void> {
    const workspaceId = workspace();
    const { data } = await contactsApi.labels(workspaceId);
    if (workspaceId === scope?.workspaceId) labels.value = data;
  }

  /** Whether `contact` belongs in the list under the current filter (for contacts that change or appear). */
  function matches(contact: ApiContactDetail): boolean {
    const { labels: wanted, optedOut } = query.value;
    if (optedOut !== undefined && (contact.opted_out_at !== null) !== optedOut) return false;
    return (wanted ?? []).every((name) => contact.labels.includes(name));
  }

  /** Puts a changed contact in place (or takes it out when it no longer matches the filter). */
  function applyUpdated(contact: ApiContactDetail): void {
    const index = contacts.value.findIndex((existing) => existing.id === contact.id);
    if (index < 0) return;
    contacts.value = matches(contact)
      ? contacts.value.map((existing) => (existing.id === contact.id ? contact : existing))
      : contacts.value.filter((existing) => existing.id !== contact.id);
  }

  async function update(contactId: string, changes: ApiContactChange): Promise<ApiContactDetail> {
    const contact = await contactsApi.update(workspace(), contactId, changes);
    applyUpdated(contact);
    return contact;
  }

  async function create(input: ApiContactCreate): Promise<ApiContactDetail> {
    const contact = await contactsApi.create(workspace(), input);
    if (matches(contact)) contacts.value = [contact, ...contacts.value];
    return contact;
  }

  /** Imports a CSV; afterwards the list and the labels (an import may add some) are read again. */
  async function importCsv(
    file: File,
    label: string | null,
    options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
  ): Promise<ApiContactImportReport> {
    const report = await contactsApi.import(workspace(), file, label, options);
    await Promise.allSettled([loadLabels(), search(query.value)]);
    return report;
  }

  /** The filtered contacts as a CSV blob. */
  function exportCsv(options: { signal?: AbortSignal } = {}): Promise<Blob> {
    return contactsApi.export(workspace(), query.value, options);
  }

  /** Forgets what it holds and works in `next`'s workspace from now on. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
    generation++;
    controller?.abort();
    controller = null;
    contacts.value = [];
    labels.value = [];
    query.value = {};
    nextCursor.value = null;
    loading.value = false;
    loaded.value = false;
    error.value = null;
  }

  return { contacts, labels, query, loading, loaded, error, hasMore, search, loadMore, loadLabels, applyUpdated, update, create, importCsv, exportCsv, reset };
});
