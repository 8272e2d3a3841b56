/** laravel-echo as the reverb and pusher broadcasters: private and presence channels, whispers. */
import { describe, expect, it } from "vitest";
import { eventually } from "../eventually.ts";
import { laravelEcho, serverSdk } from "../pusher-apps.ts";
import type { ConformanceContext } from "./context.ts";

export function echoScenarios(ctx: ConformanceContext): void {
  const { node, shopServer, echos } = ctx;
  describe("laravel-echo", () => {
    for (const broadcaster of ["reverb", "pusher"] as const) {
      it(`works as the ${broadcaster} broadcaster: private and presence channels authorised by the app's backend, whispers, server events`, async () => {
        const ann = laravelEcho(broadcaster, ctx.shopApp, node(0).url, ctx.backend, "ann");
        const bob = laravelEcho(broadcaster, ctx.shopApp, node(1).url, ctx.backend, "bob");
        echos.push(ann, bob);
        const room = `room.${broadcaster}`;

        const shipped = new Promise<unknown>((resolve) => ann.private(`orders.${broadcaster}`).listen(".shipped", resolve));
        await eventually(async () => (await shopServer(2).channel(`private-orders.${broadcaster}`)).occupied);
        await serverSdk(ctx.shopApp, node(2).url).trigger(`private-orders.${broadcaster}`, "shipped", { order: 5 });
        expect(await shipped).toEqual({ order: 5 });

        const here = new Promise<Array<{ name: string }>>((resolve) => {
          ann
            .join(room)
            .here(resolve)
            .joining((user: { name: string }) => joined.push(user.name))
            .leaving((user: { name: string }) => left.push(user.name));
        });
        const joined: string[] = [];
        const left: string[] = [];
        expect(await here).toEqual([{ name: "User ann" }]);
        const bobHere = new Promise<Array<{ name: string }>>((resolve) => bob.join(room).here(resolve));
        expect((await bobHere).map((u) => u.name).sort()).toEqual(["User ann", "User bob"]);
        await eventually(() => joined.includes("User bob"));

        const whispered = new Promise<unknown>((resolve) => ann.join(room).listenForWhisper("typing", resolve));
        bob.join(room).whisper("typing", { typing: true });
        expect(await whispered).toEqual({ typing: true });

        bob.leave(room);
        await eventually(() => left.includes("User bob"));

        ctx.backend.refuse = true;
        try {
          const refused = await new Promise<unknown>((resolve) => bob.private(`secret.${broadcaster}`).error(resolve));
          expect(refused).toMatchObject({ type: "AuthError", status: 403 });
        } finally {
          ctx.backend.refuse = false;
        }
      });
    }
  });
}
