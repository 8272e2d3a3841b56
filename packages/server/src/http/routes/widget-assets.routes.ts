import { readFile } from "node:fs/promises";
import type { FastifyPluginAsync } from "fastify";
import { sendError } from "../errors.ts";

export interface WidgetAssetDependencies {
  /** Path of the bundled widget (packages/widget/dist/widget.js). */
  bundlePath: string;
  /** The widget key the demo page uses when none is given: the instance's first widget inbox. */
  defaultWidgetKey(): Promise<string | null>;
}

/** `GET /widget.js` (the embeddable bundle) and `GET /widget-demo` (a page that embeds it). */
export const widgetAssetRoutes: FastifyPluginAsync<WidgetAssetDependencies> = async (app, { bundlePath, defaultWidgetKey }) => {
  let bundle: Buffer | null = null;

  app.get("/widget.js", { schema: { hide: true } }, async (_request, reply) => {
    bundle ??= await readFile(bundlePath).catch(() => null);
    if (!bundle) return sendError(reply, 503, "widget.not_built", "The widget bundle is missing; run `npm run build`.");
    return reply
      .header("content-type", "application/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=300")
      .header("access-control-allow-origin", "*")
      .send(bundle);
  });

  app.get<{ Querystring: { widget_key?: string } }>("/widget-demo", { schema: { hide: true } }, async (request, reply) => {
    const requested = request.query.widget_key;
    const widgetKey = requested && /^[A-Za-z0-9_-]{1,100}$/.test(requested) ? requested : await defaultWidgetKey();
    return reply.header("content-type", "text/html; charset=utf-8").send(demoPage(widgetKey));
  });
};

function demoPage(widgetKey: string | null): string {
  const snippet = widgetKey ? `<script src="/widget.js" data-widget-key="${widgetKey}" async></script>` : "";
  const notice = widgetKey
    ? `<p>This page embeds the widget of inbox key <code>${widgetKey}</code>. Open the bubble in the corner and write; answer from the agent inbox.</p>`
    : `<p>No website widget inbox exists yet. Sign up, create one (provider <code>web_widget</code>), then reload.</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Parley widget demo</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem;word-break:break-all}</style>
</head>
<body>
<h1>Parley widget demo</h1>
${notice}
${snippet}
</body>
</html>`;
}
