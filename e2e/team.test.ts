/**
 * Several agents in one workspace: members managed in Settings, a second agent logging in,
 * presence, agent-to-agent typing, assignment, a viewer's read-only composer, logout, and the
 * workspace switcher for someone in two workspaces.
 */
import type { Browser, Page } from "playwright-core";
import { expect, it } from "vitest";
import type { TestParley } from "../packages/server/test/parley.ts";
import { bubble, conversationRow, eventually, screenshot, signedInContext, watchErrors, useParleyAndChromium } from "./support.ts";

let parley: TestParley;
let browser: Browser;

useParleyAndChromium((started) => ({ parley, browser } = started));

async function logIn(email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${parley.url}/`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.locator('[data-connection="live"]').waitFor();
  return page;
}

it("lets a team share the inbox live: members, presence, typing, assignment, roles", async () => {
  const api = parley.api;
  const owner = await api.signup("team");
  const inbox = await api.createWidgetInbox(owner.workspaceId, owner.token);
  const visitor = await api.startVisitor(inbox.widget_key, { name: "Tomás Team" });
  await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: "Hi team!", client_message_id: "t-1" }, visitor.session_token);

  const ana = await (await signedInContext(browser, owner.token, owner.workspaceId)).newPage();
  const errors = watchErrors(ana);
  await ana.goto(`${parley.url}/w/${owner.workspaceId}/settings/members`);

  // Add Bob (a new account) as an agent and Carol as a viewer.
  const stamp = Date.now();
  const bobEmail = `bob-${stamp}@example.com`;
  const carolEmail = `carol-${stamp}@example.com`;
  for (const [name, email, role] of [
    ["Bob Agent", bobEmail, "agent"],
    ["Carol Viewer", carolEmail, "viewer"],
  ] as const) {
    await ana.getByLabel("E-mail").fill(email);
    await ana.getByLabel("Role", { exact: true }).selectOption(role);
    await ana.getByRole("button", { name: "Add member" }).click();
    await ana.getByText("No Parley account uses this e-mail yet").waitFor();
    await ana.getByLabel("Name", { exact: true }).fill(name);
    await ana.getByLabel("First password").fill("correct horse battery");
    await ana.getByRole("button", { name: "Create account and add" }).click();
    await eventually(() => ana.getByTestId("member-list").textContent()).toContain(name);
  }
  await eventually(() => ana.getByLabel("Role of Carol Viewer").inputValue()).toBe("viewer");
  // Roles change in place (and stick on the server).
  await ana.getByLabel("Role of Bob Agent").selectOption("admin");
  await eventually(
    async () =>
      (await api.get(`/api/v1/workspaces/${owner.workspaceId}/members`, owner.token)).body.data.find((member: { name: string }) => member.name === "Bob Agent")
        ?.role,
  ).toBe("admin");
  await ana.getByLabel("Role of Bob Agent").selectOption("agent");
  await eventually(
    async () =>
      (await api.get(`/api/v1/workspaces/${owner.workspaceId}/members`, owner.token)).body.data.find((member: { name: string }) => member.name === "Bob Agent")
        ?.role,
  ).toBe("agent");
  await screenshot(ana, "settings-members");

  // Bob logs in and sees the conversation; Ana sees him come online.
  const bob = await logIn(bobEmail, "correct horse battery");
  await conversationRow(bob, "Tomás Team").waitFor();
  await ana.getByRole("link", { name: "Back to the inbox" }).click();
  await eventually(() => ana.getByRole("button", { name: "Switch workspace" }).textContent()).toContain("2 online");

  // Both open the conversation: Bob's typing reaches Ana, and his reply shows with his name.
  await conversationRow(ana, "Tomás Team").click();
  await conversationRow(bob, "Tomás Team").click();
  await bubble(bob, "Hi team!").waitFor();
  await bob.getByTestId("composer").pressSequentially("I'll take it", { delay: 60 });
  await ana.getByTestId("typing-indicator").getByText("Bob Agent is typing…").waitFor();
  await bob.getByTestId("composer").press("Enter");
  const reply = bubble(ana, "I'll take it");
  await reply.waitFor();
  await eventually(() => reply.textContent()).toContain("Bob Agent");

  // Ana assigns the conversation to Bob and marks it pending: Bob's list follows.
  await ana.getByLabel("Assignee", { exact: true }).selectOption({ label: "Bob Agent · online" });
  await ana.getByRole("radio", { name: "Pending" }).click();
  const bobsRow = conversationRow(bob, "Tomás Team");
  await eventually(() => bobsRow.textContent()).toContain("Assigned to you");
  await eventually(() => bobsRow.textContent()).toContain("pending");
  await eventually(() => bob.getByLabel("Assignee", { exact: true }).inputValue()).not.toBe("");

  // "Assigned to me" and "Unassigned" filters.
  const assigneeFilter = bob.getByLabel("Filter by assignee");
  await assigneeFilter.selectOption("me");
  await conversationRow(bob, "Tomás Team").waitFor();
  await assigneeFilter.selectOption("none");
  await conversationRow(bob, "Tomás Team").waitFor({ state: "detached" });
  await assigneeFilter.selectOption("");

  // Carol, a viewer, reads but cannot reply, and is told why.
  const carol = await logIn(carolEmail, "correct horse battery");
  await conversationRow(carol, "Tomás Team").click();
  await bubble(carol, "I'll take it").waitFor();
  expect(await carol.getByTestId("composer").isDisabled()).toBe(true);
  await carol.getByText("You have viewer access in this workspace").waitFor();

  // Bob logs out.
  await bob.getByRole("button", { name: "Menu" }).click();
  await bob.getByRole("menuitem", { name: "Log out" }).click();
  await bob.waitForURL(/\/login/);

  // Ana removes Carol.
  await ana.goto(`${parley.url}/w/${owner.workspaceId}/settings/members`);
  ana.once("dialog", (dialog) => void dialog.accept());
  await ana.getByRole("button", { name: "Remove Carol Viewer" }).click();
  await eventually(() => ana.getByTestId("member-list").textContent()).not.toContain("Carol Viewer");
  expect(errors).toEqual([]);
});

it("switches between workspaces for a member of several", async () => {
  const api = parley.api;
  const first = await api.signup("first");
  const second = await api.signup("second");
  const me = await api.get("/api/v1/auth/me", first.token);
  const added = await api.post(`/api/v1/workspaces/${second.workspaceId}/members`, { email: me.body.user.email, role: "agent" }, second.token);
  expect(added.status).toBe(201);
  for (const [workspace, name] of [
    [first, "Visitor of First"],
    [second, "Visitor of Second"],
  ] as const) {
    const inbox = await api.createWidgetInbox(workspace.workspaceId, workspace.token);
    const session = await api.startVisitor(inbox.widget_key, { name });
    await api.post(`/api/v1/widget/${inbox.widget_key}/messages`, { body: `Hello from ${name}`, client_message_id: "w-1" }, session.session_token);
  }

  const page = await (await signedInContext(browser, first.token, first.workspaceId)).newPage();
  await page.goto(`${parley.url}/`);
  await conversationRow(page, "Visitor of First").waitFor();
  await page.getByRole("button", { name: "Switch workspace" }).click();
  await page.getByRole("menuitem", { name: /second Inc/ }).click();
  await conversationRow(page, "Visitor of Second").waitFor();
  expect(await conversationRow(page, "Visitor of First").count()).toBe(0);
  await eventually(() => page.getByRole("button", { name: "Switch workspace" }).textContent()).toContain("second Inc");
  await page.locator('[data-connection="live"]').waitFor();
});
