/** Fakes of the network for component and store tests: fetch answered from routes, and a driveable XMLHttpRequest for uploads. */
import { vi } from "vitest";

export interface RecordedRequest {
  method: string;
  url: string;
  body: any;
}

/**
 * Stubs fetch: answers from `routes` by "METHOD path" prefix (the first key that matches) and
 * records each request with its parsed JSON body. An unknown request fails the test.
 */
export function fakeFetch(routes: Record<string, (body: any, url: string) => Response | Promise<Response>>): RecordedRequest[] {
  const requests: RecordedRequest[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      const request = { method, url, body };
      sentHeaders.set(request, { ...(init.headers as Record<string, string> | undefined) });
      requests.push(request);
      const route = Object.keys(routes).find((key) => `${method} ${url}`.startsWith(key));
      if (!route) throw new Error(`unexpected ${method} ${url}`);
      return routes[route]!(body, url);
    }),
  );
  return requests;
}

const sentHeaders = new WeakMap<RecordedRequest, Record<string, string>>();

/** The headers a recorded request went out with (kept apart, so recorded requests compare by method, URL and body). */
export function headersOf(request: RecordedRequest): Record<string, string> {
  return sentHeaders.get(request) ?? {};
}

/** One request made through the fake XMLHttpRequest; the test moves it along with `progress` and `respond`. */
export interface FakeUpload {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: FormData | null;
  aborted: boolean;
  /** Reports `loaded` of `total` bytes sent. */
  progress(loaded: number, total: number): void;
  /** Answers with `status` and a JSON body. */
  respond(status: number, body: unknown): void;
}

/** Stubs XMLHttpRequest (uploads use it for progress events); returns the requests as they are sent. */
export function fakeXhr(): FakeUpload[] {
  const sent: FakeUpload[] = [];
  class FakeXMLHttpRequest implements FakeUpload {
    method = "";
    url = "";
    headers: Record<string, string> = {};
    body: FormData | null = null;
    aborted = false;
    status = 0;
    responseText = "";
    upload: { onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    open(method: string, url: string): void {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string): void {
      this.headers[name.toLowerCase()] = value;
    }
    send(body: FormData): void {
      this.body = body;
      sent.push(this);
    }
    abort(): void {
      this.aborted = true;
      this.onabort?.();
    }
    progress(loaded: number, total: number): void {
      this.upload.onprogress?.({ lengthComputable: true, loaded, total });
    }
    respond(status: number, body: unknown): void {
      this.status = status;
      this.responseText = JSON.stringify(body);
      this.onload?.();
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXMLHttpRequest);
  return sent;
}
