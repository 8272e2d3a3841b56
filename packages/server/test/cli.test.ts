/** The operator's CLI: migrate, create-user, and a server that knows the user afterwards. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { ApiClient } from "./parley.ts";
import { freePort, runCli, startParleyProcess, stopProcess } from "./processes.ts";

const dataDir = mkdtempSync(join(tmpdir(), "parley-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("migrates, creates users in new and existing workspaces, and refuses duplicates", { timeout: 120_000 }, async () => {
  const migrated = await runCli(["migrate"], dataDir);
  expect(migrated.code).toBe(0);
  expect(migrated.stdout).toContain("Migrations applied.");

  const owner = await runCli(
    ["create-user", "--email", "Owner@Example.com", "--name", "Olive", "--password", "a long password", "--workspace", "Acme"],
    dataDir,
  );
  expect(owner.code).toBe(0);
  expect(owner.stdout).toMatch(/Token: pat_/);
  const workspaceId = /\(([0-9a-f-]{36})\)/.exec(owner.stdout)![1]!;

  const agent = await runCli(
    ["create-user", "--email", "agent@example.com", "--name", "Abe", "--password", "another long one", "--workspace-id", workspaceId, "--role", "agent"],
    dataDir,
  );
  expect(agent.code).toBe(0);
  expect(agent.stdout).toContain("(agent)");

  const duplicate = await runCli(["create-user", "--email", "owner@example.com", "--name", "X", "--password", "a long password"], dataDir);
  expect(duplicate.code).toBe(1);
  expect(duplicate.stderr).toContain("already exists");
  const badRole = await runCli(
    ["create-user", "--email", "r@example.com", "--name", "R", "--password", "a long password", "--workspace-id", workspaceId, "--role", "king"],
    dataDir,
  );
  expect(badRole.code).not.toBe(0);

  const port = await freePort();
  const server = await startParleyProcess(dataDir, port);
  try {
    const api = new ApiClient(`http://127.0.0.1:${port}`);
    const login = await api.post("/api/v1/auth/login", { email: "agent@example.com", password: "another long one" });
    expect(login.status).toBe(200);
    expect(login.body.workspaces).toEqual([expect.objectContaining({ id: workspaceId, name: "Acme", role: "agent" })]);
    const members = await api.get(`/api/v1/workspaces/${workspaceId}/members`, login.body.token);
    expect(members.body.data.map((member: { email: string }) => member.email).sort()).toEqual(["agent@example.com", "owner@example.com"]);
  } finally {
    expect(await stopProcess(server)).toBe(0);
  }
});
