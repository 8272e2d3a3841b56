/**
 * Reading a CSV of contacts (issue 10, part 1): a `phone` column in any local format, optional
 * `name`, `email`, `labels` (separated by `;` or `|`), `opted_out`, and any other column kept as a
 * custom attribute. Pure: the use case (contacts.usecases.ts) stores what this reads.
 */
import type { ContactImportProblem } from "@parley/protocol/api";
import { CsvError, parse } from "csv-parse/sync";
import { DomainError } from "../errors.ts";
import { normaliseLabelName } from "../knowledge/knowledge.ts";
import type { ContactImportEntry } from "../ports.ts";
import { type CountryCode, toE164 } from "./phone.ts";

/** Largest file an import takes, in bytes. */
export const maxImportBytes = 5 * 1024 * 1024;
/** Most data rows an import takes (a campaign audience of this size sends for hours already). */
export const maxImportRows = 50_000;
/** Most columns a row may have (each extra one is a custom attribute). */
const maxColumns = 50;

/**
 * A row that could not be imported: `row` is its CSV line number (1 = the header), `problem` what
 * was wrong and `value` the cell at fault (clients word it in their language), `reason` in English.
 */
export interface InvalidRow {
  row: number;
  problem: ContactImportProblem;
  value: string;
  reason: string;
}

/** What a CSV holds, ready to store: one entry per distinct phone, the rows refused and the repeats. */
export interface ReadContacts {
  entries: Array<Omit<ContactImportEntry, "id" | "optedOutAt"> & { optedOut: boolean }>;
  /** Label names the rows use, in first-use order (some may be missing from the catalogue). */
  labels: string[];
  invalid: InvalidRow[];
  duplicates: number;
}

/** Header names read as each field (lower-cased, spaces and dashes as `_`); any other header is a custom attribute. */
const headerAliases: Record<string, "phone" | "name" | "email" | "labels" | "opted_out"> = {
  phone: "phone",
  phone_number: "phone",
  mobile: "phone",
  whatsapp: "phone",
  name: "name",
  full_name: "name",
  email: "email",
  e_mail: "email",
  labels: "labels",
  label: "labels",
  opted_out: "opted_out",
};

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const yes = new Set(["1", "true", "yes", "y", "ya"]);

const invalidImport = (message: string) => new DomainError("contacts.invalid_import", message, { field: "file" });

/**
 * Reads `csv` (UTF-8, a header row first; `,` or, as spreadsheets in many locales write, `;`
 * between fields) with phone numbers read against `country`. Rows with an invalid phone, e-mail
 * or label name are reported in `invalid` with their line; a phone that repeats an earlier row's
 * (after normalising) counts in `duplicates` and is skipped. `label`, when given, is added to
 * every row. Throws `contacts.invalid_import` (422) when the file does not parse, has no phone
 * column, or holds more than `maxImportRows` rows: then nothing is to be imported.
 */
export function readContactsCsv(csv: string, country: CountryCode, label?: string): ReadContacts {
  const records = parseRecords(csv);
  const header = records.shift();
  if (!header) throw invalidImport("The file is empty: the first line must name the columns, one of them phone.");
  const fields = header.record.map(
    (name) =>
      headerAliases[
        name
          .trim()
          .toLowerCase()
          .replace(/[\s-]+/g, "_")
      ] ?? null,
  );
  const phoneColumn = fields.indexOf("phone");
  if (phoneColumn < 0) throw invalidImport(`The file has no phone column (its columns: ${header.record.slice(0, 10).join(", ")}).`);
  if (records.length > maxImportRows) throw invalidImport(`The file has ${records.length} rows; an import takes at most ${maxImportRows}.`);
  const attributeNames = header.record.map((name, column) => (fields[column] === null && name.trim() ? name.trim() : null));
  const extraLabel = label ? normaliseLabelName(label) : null;

  const result: ReadContacts = { entries: [], labels: [], invalid: [], duplicates: 0 };
  const seenPhones = new Set<string>();
  const seenLabels = new Set<string>();
  for (const { record, line } of records) {
    const cell = (field: string) => {
      const column = fields.indexOf(field as never);
      return column < 0 ? "" : (record[column] ?? "").trim();
    };
    const rawPhone = record[phoneColumn]?.trim() ?? "";
    if (!rawPhone) {
      result.invalid.push({ row: line, problem: "missing_phone", value: "", reason: "No phone number." });
      continue;
    }
    const phone = toE164(rawPhone, country);
    if (!phone) {
      const value = rawPhone.slice(0, 40);
      result.invalid.push({
        row: line,
        problem: "invalid_phone",
        value,
        reason: `"${value}" is not a valid phone number (read with default country ${country}).`,
      });
      continue;
    }
    const email = cell("email");
    if (email && !emailPattern.test(email)) {
      const value = email.slice(0, 60);
      result.invalid.push({ row: line, problem: "invalid_email", value, reason: `"${value}" is not an e-mail address.` });
      continue;
    }
    let labels: string[];
    try {
      labels = [
        ...new Set([
          ...cell("labels")
            .split(/[;|]/)
            .filter((name) => name.trim())
            .map(normaliseLabelName),
          ...(extraLabel ? [extraLabel] : []),
        ]),
      ];
    } catch (error) {
      result.invalid.push({
        row: line,
        problem: "invalid_label",
        value: cell("labels").slice(0, 60),
        reason: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    if (seenPhones.has(phone)) {
      result.duplicates++;
      continue;
    }
    seenPhones.add(phone);
    for (const name of labels) {
      if (!seenLabels.has(name)) {
        seenLabels.add(name);
        result.labels.push(name);
      }
    }
    const customAttributes: Record<string, string> = {};
    attributeNames.forEach((name, column) => {
      const value = record[column]?.trim();
      if (name && value) customAttributes[name] = value.slice(0, 1000);
    });
    const name = cell("name").slice(0, 200);
    result.entries.push({ phone, name: name || null, email: email || null, labels, customAttributes, optedOut: yes.has(cell("opted_out").toLowerCase()) });
  }
  return result;
}

/**
 * A CSV file's text: UTF-8 (with or without a byte-order mark), or, when the bytes are not valid
 * UTF-8, Windows-1252, which Excel writes for "CSV (Comma delimited)" on Western-locale Windows.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** The file's records with their line numbers; throws `contacts.invalid_import` with csv-parse's reason and line. */
function parseRecords(csv: string): Array<{ record: string[]; line: number }> {
  const firstLine = csv.slice(0, csv.search(/\r?\n|$/));
  const delimiter = firstLine.includes(";") && !firstLine.includes(",") ? ";" : ",";
  try {
    const rows = parse(csv, {
      bom: true,
      delimiter,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: 64 * 1024,
      info: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    return rows.map(({ record, info }) => {
      if (record.length > maxColumns) throw invalidImport(`Line ${info.lines} has ${record.length} columns; at most ${maxColumns}.`);
      return { record, line: info.lines };
    });
  } catch (error) {
    if (error instanceof CsvError) throw invalidImport(`The file is not valid CSV: ${error.message}`);
    throw error;
  }
}
