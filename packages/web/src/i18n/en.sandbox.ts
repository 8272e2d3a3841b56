/**
 * English words of the sandbox phone (a simulated WhatsApp phone in the browser). Top-level sections of the dictionary, spread into en.ts, kept in a
 * file of their own so each part of the app merges apart from the rest.
 */
export const enSandbox = {
  sandbox: {
    simulated: "simulated",
    scanPrompt: "The inbox shows a QR code. Link this phone by scanning it.",
    inboxIs: "The inbox is {status}…",
    scan: "Scan the QR code",
    writeAs: "Write as",
    customerName: "Customer name",
    number: "Number",
    customerNumber: "Customer number",
    inGroup: "In group",
    privateChat: "(a private chat)",
    chats: "Chats",
    messageAsCustomer: "Message as the customer",
  },
};
