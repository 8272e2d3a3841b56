import { ref } from "vue";
import { ApiError, errorText } from "../../../lib/http.ts";

/** A refusal shown on a form: the server's message, and the field it names (`shortcode`, `color`…) when it names one. */
export interface FormError {
  message: string;
  field: string | null;
}

/**
 * The busy flag and error of a settings form's writes: `run(action)` clears the error, runs the
 * action and keeps its refusal (Parley's `{error: {code, message, field}}`) for the form to show
 * beside the field it names; resolves true when the action succeeded.
 */
export function useFormAction() {
  const busy = ref(false);
  const error = ref<FormError | null>(null);

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    busy.value = true;
    error.value = null;
    try {
      await action();
      return true;
    } catch (caught) {
      error.value = { message: errorText(caught), field: caught instanceof ApiError ? (caught.field ?? null) : null };
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** The error's message when it is about `field`. */
  const fieldError = (field: string) => (error.value?.field === field ? error.value.message : null);
  /** The error's message when it names no field of the form (`fields`). */
  const formError = (fields: readonly string[]) => (error.value && !fields.includes(error.value.field ?? "") ? error.value.message : null);

  return { busy, error, run, fieldError, formError };
}
