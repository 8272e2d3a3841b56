import { reactive, ref, type UnwrapRef } from "vue";
import { useFormAction } from "./form-action.ts";

/** What a settings page of a catalogue (canned responses, articles, labels) does with its items. */
export interface CatalogueEditorOptions<Item extends { id: string }, Form extends object> {
  /** The form's fields for a new item. */
  blank: () => Form;
  /** The form's fields for editing `item`. */
  fromItem: (item: Item) => Form;
  /** Creates (`id` null) or changes an item; throws the server's ApiError. */
  save: (id: string | null, form: Form) => Promise<unknown>;
  remove: (item: Item) => Promise<unknown>;
  canEdit: () => boolean;
}

/**
 * The form, the item being edited and the one being deleted (asked first) of a catalogue's
 * settings page, with the writes' busy flags and refusals (see useFormAction): a saved form
 * empties for the next item; a refusal keeps what was typed.
 */
export function useCatalogueEditor<Item extends { id: string }, Form extends object>(options: CatalogueEditorOptions<Item, Form>) {
  const form = reactive(options.blank());
  const editingId = ref<string | null>(null);
  const deleting = ref<Item | null>(null);
  const saving = useFormAction();
  const removal = useFormAction();

  function edit(item: Item | null): void {
    editingId.value = item?.id ?? null;
    Object.assign(form, item ? options.fromItem(item) : options.blank());
    saving.error.value = null;
  }

  async function submit(): Promise<void> {
    if (!options.canEdit()) return;
    const fields = { ...form } as Form;
    if (await saving.run(() => options.save(editingId.value, fields))) edit(null);
  }

  async function confirmDelete(): Promise<void> {
    const target = deleting.value as Item | null;
    if (target && (await removal.run(() => options.remove(target)))) deleting.value = null;
  }

  return { form: form as UnwrapRef<Form>, editingId, deleting, saving, removal, edit, submit, confirmDelete };
}
