import type { GraphqlClient } from "./support/graphql-client";
import { startTestGateway, type TestGateway } from "./support/test-gateway";

let t: TestGateway;
let root: GraphqlClient;
let rootId: string;
beforeAll(async () => {
  t = await startTestGateway();
  root = await t.asRoot();
  rootId = (await root.request("{ institutions { id depth } }")).institutions.find(
    (i: { depth: number }) => i.depth === 0,
  ).id;
});
afterAll(() => t?.stop());

const CREATE_INSTITUTION = `mutation($input: CreateInstitutionInput!) {
  createInstitution(input: $input) { id name depth parent { id } } }`;
const CREATE_LOGIN = `mutation($input: CreateLoginInput!) {
  createLogin(input: $input) { login { id username } admin backoffice scanner } }`;

async function newCustomer(name: string, master: string) {
  const { createInstitution } = await root.request(CREATE_INSTITUTION, {
    input: { parentId: rootId, name, master: { username: master, password: "master-password" } },
  });
  return { id: createInstitution.id as string, master: await t.login(master, "master-password") };
}

describe("the institution tree", () => {
  it("root creates a customer with its master, who creates sub-institutions any depth", async () => {
    const { id, master } = await newCustomer("Théâtre du Rond-Point", "rondpoint");
    const { me } = await master.request(
      "{ me { login { username masterOf { id name } } lastInstitution { id } } }",
    );
    expect(me.login.masterOf).toEqual({ id, name: "Théâtre du Rond-Point" });
    expect(me.lastInstitution.id).toBe(id);

    const sub = (
      await master.request(CREATE_INSTITUTION, { input: { parentId: id, name: "Salle Renaud-Barrault" } })
    ).createInstitution;
    expect(sub).toMatchObject({ depth: 2, parent: { id } });
    const subSub = (await master.request(CREATE_INSTITUTION, { input: { parentId: sub.id, name: "Studio" } }))
      .createInstitution;
    expect(subSub.depth).toBe(3);

    const { institutions } = await master.request(
      "{ institutions { name depth myRights { master admin } } }",
    );
    expect(institutions.map((i: { name: string }) => i.name)).toEqual([
      "Théâtre du Rond-Point",
      "Salle Renaud-Barrault",
      "Studio",
    ]);
    expect(institutions.every((i: { myRights: { master: boolean } }) => i.myRights.master)).toBe(true);
    // The customer never sees root.
    expect(
      (await master.request(`{ institution(id: "${id}") { parent { id } } }`)).institution.parent,
    ).toBeNull();
  });

  it.each([
    ["a main institution without its master", { name: "Sans master" }, "master"],
    ["an empty name", { name: "   ", master: { username: "x-master", password: "master-password" } }, "name"],
    [
      "a short master password",
      { name: "Court", master: { username: "court", password: "short" } },
      "master.password",
    ],
    [
      "a bad master login",
      { name: "Bad", master: { username: "a b", password: "master-password" } },
      "master.username",
    ],
  ])("refuses %s, naming the field, writing nothing", async (_case, input, field) => {
    const before = (await root.request("{ institutions { id } }")).institutions.length;
    const err = await root.error(CREATE_INSTITUTION, { input: { parentId: rootId, ...input } });
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(err.message).toMatch(/[a-zé]/);
    expect((await root.request("{ institutions { id } }")).institutions.length).toBe(before);
  });

  it("refuses a duplicate login name and a duplicate sibling name", async () => {
    await newCustomer("Duplicata", "dupmaster");
    const sameLogin = await root.error(CREATE_INSTITUTION, {
      input: {
        parentId: rootId,
        name: "Autre",
        master: { username: "DupMaster", password: "master-password" },
      },
    });
    expect(sameLogin.extensions).toMatchObject({ code: "CONFLICT", field: "master.username" });
    const sameName = await root.error(CREATE_INSTITUTION, {
      input: {
        parentId: rootId,
        name: "Duplicata",
        master: { username: "other", password: "master-password" },
      },
    });
    expect(sameName.extensions).toMatchObject({ code: "CONFLICT", field: "name" });
    // Neither half of the refused creation was written.
    expect(await t.login("other", "master-password").catch(() => "refused")).toBe("refused");
  });

  it("a malformed id is bad input naming the field", async () => {
    const err = await root.error(CREATE_INSTITUTION, { input: { parentId: "nope", name: "X" } });
    expect(err.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "parentId" });
  });
});

describe("users", () => {
  it("a master creates users with rights; admin requires back office", async () => {
    const { id, master } = await newCustomer("Opéra", "opera");
    const refused = await master.error(CREATE_LOGIN, {
      input: {
        institutionId: id,
        username: "adm",
        password: "password-1",
        flags: { admin: true, backoffice: false },
      },
    });
    expect(refused.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "flags.admin" });
    expect(refused.message).toBe(
      "Pour être admin d'une institution, l'accès au back office est obligatoire.",
    );

    const created = await master.request(CREATE_LOGIN, {
      input: { institutionId: id, username: "Controleur", password: "password-1", flags: { scanner: true } },
    });
    expect(created.createLogin).toEqual({
      login: { id: expect.any(String), username: "controleur" },
      admin: false,
      backoffice: false,
      scanner: true,
    });
    const members = await master.request(
      `{ institutionMembers(institutionId: "${id}") { login { username } isMaster scanner } }`,
    );
    expect(members.institutionMembers).toEqual([
      { login: { username: "opera" }, isMaster: true, scanner: true },
      { login: { username: "controleur" }, isMaster: false, scanner: true },
    ]);
  });

  it("adds existing logins of the branch to a sub-institution, never logins of another branch", async () => {
    const a = await newCustomer("Branche A", "master-a");
    const b = await newCustomer("Branche B", "master-b");
    const sub = (await a.master.request(CREATE_INSTITUTION, { input: { parentId: a.id, name: "A1" } }))
      .createInstitution;
    const user = (
      await a.master.request(CREATE_LOGIN, {
        input: {
          institutionId: a.id,
          username: "guichet-a",
          password: "password-1",
          flags: { backoffice: true },
        },
      })
    ).createLogin.login;
    const addable = await a.master.request(`{ addableLogins(institutionId: "${sub.id}") { username } }`);
    expect(addable.addableLogins.map((l: { username: string }) => l.username)).toEqual([
      "guichet-a",
      "master-a",
    ]);

    const ADD = `mutation($i: ID!, $l: ID!) { addMember(institutionId: $i, loginId: $l, flags: { scanner: true }) { scanner } }`;
    await a.master.request(ADD, { i: sub.id, l: user.id });
    const again = await a.master.error(ADD, { i: sub.id, l: user.id });
    expect(again.extensions?.code).toBe("CONFLICT");

    const bUser = (
      await b.master.request(CREATE_LOGIN, {
        input: {
          institutionId: b.id,
          username: "guichet-b",
          password: "password-1",
          flags: { scanner: true },
        },
      })
    ).createLogin.login;
    const cross = await a.master.error(ADD, { i: sub.id, l: bUser.id });
    expect(cross.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "loginId" });
  });

  it("a lost password is replaced, never shown, and the user's sessions end", async () => {
    const { id, master } = await newCustomer("Cinéma", "cinema");
    const user = (
      await master.request(CREATE_LOGIN, {
        input: {
          institutionId: id,
          username: "projection",
          password: "password-1",
          flags: { scanner: true },
        },
      })
    ).createLogin.login;
    const session = await t.login("projection", "password-1");
    await master.request(
      `mutation { setLoginPassword(loginId: "${user.id}", password: "password-2") { id } }`,
    );
    expect((await session.request("{ me { login { id } } }")).me).toBeNull();
    await expect(t.login("projection", "password-1")).rejects.toThrow(/INVALID_CREDENTIALS/);
    await t.login("projection", "password-2");
    const short = await master.error(
      `mutation { setLoginPassword(loginId: "${user.id}", password: "short") { id } }`,
    );
    expect(short.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "password" });
  });

  it("a disabled login cannot log in and its sessions end; logins are never deleted", async () => {
    const { id, master } = await newCustomer("Musée", "musee");
    const user = (
      await master.request(CREATE_LOGIN, {
        input: {
          institutionId: id,
          username: "accueil",
          password: "password-1",
          flags: { backoffice: true },
        },
      })
    ).createLogin.login;
    const session = await t.login("accueil", "password-1");
    await master.request(`mutation { setLoginDisabled(loginId: "${user.id}", disabled: true) { disabled } }`);
    expect((await session.request("{ me { login { id } } }")).me).toBeNull();
    await expect(t.login("accueil", "password-1")).rejects.toThrow(/LOGIN_DISABLED/);
    await master.request(
      `mutation { setLoginDisabled(loginId: "${user.id}", disabled: false) { disabled } }`,
    );
    await t.login("accueil", "password-1");
    const masterId = (await master.request("{ me { login { id } } }")).me.login.id;
    const self = await master.error(
      `mutation { setLoginDisabled(loginId: "${masterId}", disabled: true) { id } }`,
    );
    expect(self.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("the back office reopens on the last institution worked in", async () => {
    const { id, master } = await newCustomer("Festival", "festival");
    const sub = (await master.request(CREATE_INSTITUTION, { input: { parentId: id, name: "Scène 2" } }))
      .createInstitution;
    await master.request(`mutation { switchInstitution(institutionId: "${sub.id}") { id } }`);
    const again = await t.login("festival", "master-password");
    expect((await again.request("{ me { lastInstitution { id name } } }")).me.lastInstitution).toEqual({
      id: sub.id,
      name: "Scène 2",
    });
  });

  it("root grants master over one branch only: the login's own", async () => {
    const a = await newCustomer("Arena A", "arena-a");
    const b = await newCustomer("Arena B", "arena-b");
    const user = (
      await a.master.request(CREATE_LOGIN, {
        input: {
          institutionId: a.id,
          username: "second-master",
          password: "password-1",
          flags: { backoffice: true },
        },
      })
    ).createLogin.login;
    const GRANT = `mutation($l: ID!, $i: ID!) { grantMaster(loginId: $l, institutionId: $i) { masterOf { id } } }`;
    expect((await a.master.error(GRANT, { l: user.id, i: a.id })).extensions?.code).toBe("FORBIDDEN");
    expect((await root.error(GRANT, { l: user.id, i: b.id })).extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "loginId",
    });
    expect((await root.request(GRANT, { l: user.id, i: a.id })).grantMaster.masterOf.id).toBe(a.id);
  });
});
