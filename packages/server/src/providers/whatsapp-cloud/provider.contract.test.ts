import type { MediaMessageType } from "../../domain/providers/provider.ts";
import { type DeliveredContent, runProviderContract } from "../provider.contract.ts";
import { createWhatsAppCloudProvider } from "./provider.ts";
import { type SentMessage, startFakeGraphApi } from "./testing/fake-graph-api.ts";
import { cloudInbox, recipient } from "./testing/fixtures.ts";

/** What Meta would deliver, from the body the fake accepted. */
function deliveredContent({ body }: SentMessage): DeliveredContent {
  switch (body.type) {
    case "text":
      return { kind: "text", text: body.text.body };
    case "image":
    case "video":
    case "document":
    case "sticker":
    case "audio": {
      const media = (body as unknown as Record<string, { id?: string; caption?: string; voice?: boolean }>)[body.type];
      const type: MediaMessageType = body.type === "audio" && media?.voice ? "voice" : body.type;
      return { kind: "media", type, mediaId: media?.id ?? null, caption: media?.caption ?? null };
    }
    default:
      return { kind: "other", description: body.type };
  }
}

runProviderContract("WhatsApp Cloud API (fake Graph API)", async () => {
  const fake = await startFakeGraphApi();
  fake.refuseRecipients(["15550000000"]);
  return {
    provider: createWhatsAppCloudProvider(),
    inbox: cloudInbox(fake),
    recipient: recipient("+5511987654321"),
    refusedRecipient: recipient("+15550000000"),
    inboundProviderMessageId: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
    delivered: async () => fake.sent().map(deliveredContent),
    close: () => fake.close(),
  };
});
