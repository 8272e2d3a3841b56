/**
 * The two libraries' delivery acknowledgements mapped explicitly into Parley's one status state
 * machine (domain/messages/message-status.ts). Null: nothing to record (still pending).
 */
import type { MessageStatus } from "../messages/message-status.ts";

/**
 * whatsapp-web.js `message_ack` values (`MessageAck` in its index.d.ts): ACK_ERROR -1,
 * ACK_PENDING 0, ACK_SERVER 1, ACK_DEVICE 2, ACK_READ 3, ACK_PLAYED 4.
 */
export function statusOfWhatsappWebJsAck(ack: number): MessageStatus | null {
  switch (ack) {
    case -1:
      return "failed";
    case 1:
      return "sent";
    case 2:
      return "delivered";
    case 3:
      return "read";
    case 4:
      return "played";
    default:
      return null;
  }
}

/**
 * Baileys message statuses (`proto.WebMessageInfo.Status`, also in `messages.update` and
 * receipts): ERROR 0, PENDING 1, SERVER_ACK 2, DELIVERY_ACK 3, READ 4, PLAYED 5.
 */
export function statusOfBaileysStatus(status: number): MessageStatus | null {
  switch (status) {
    case 0:
      return "failed";
    case 2:
      return "sent";
    case 3:
      return "delivered";
    case 4:
      return "read";
    case 5:
      return "played";
    default:
      return null;
  }
}
