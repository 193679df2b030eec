import { describe, expect, it } from "@jest/globals";
import {
  type ConfigField,
  type ConfigSchema,
  checkConfigValues,
  schemaProblems,
  secretKeys,
} from "./config-schema";

const field = (type: ConfigField["type"], extra: Partial<ConfigField> = {}): ConfigField => ({
  key: "value",
  label: "Valeur testée",
  type,
  ...extra,
});

const one = (f: ConfigField, value: unknown) => checkConfigValues([f], { value });

describe("checkConfigValues", () => {
  it.each([
    { type: "text", input: "  Salle A  ", expected: "Salle A" },
    { type: "text", input: 42, expected: "42" },
    { type: "secret", input: " s3cr3t ", expected: " s3cr3t " },
    { type: "url", input: " https://partner.example/api ", expected: "https://partner.example/api" },
    { type: "url", input: "http://127.0.0.1:8080", expected: "http://127.0.0.1:8080" },
    { type: "integer", input: 12, expected: 12 },
    { type: "integer", input: " 12 ", expected: 12 },
    { type: "integer", input: "-3", expected: -3 },
    { type: "boolean", input: true, expected: true },
    { type: "boolean", input: "false", expected: false },
  ] as const)("accepts the $type value $input, as $expected", ({ type, input, expected }) => {
    expect(one(field(type), input)).toEqual({ values: { value: expected }, errors: [] });
  });

  it("accepts a select's value among its options", () => {
    const select = field("select", { options: [{ value: "prod", label: "Production" }] });
    expect(one(select, "prod")).toEqual({ values: { value: "prod" }, errors: [] });
  });

  it.each([
    { type: "text", input: true, error: "un texte est attendu" },
    { type: "text", input: "x".repeat(2001), error: "2000 caractères au plus" },
    { type: "url", input: "ftp://partner.example", error: "une adresse http:// ou https:// est attendue" },
    { type: "url", input: "partner.example", error: "une adresse http:// ou https:// est attendue" },
    { type: "integer", input: "12.5", error: "un nombre entier est attendu" },
    { type: "integer", input: 3.5, error: "un nombre entier est attendu" },
    { type: "integer", input: "douze", error: "un nombre entier est attendu" },
    { type: "integer", input: "0x10", error: "un nombre entier est attendu" },
    { type: "integer", input: "1e3", error: "un nombre entier est attendu" },
    { type: "integer", input: true, error: "un nombre entier est attendu" },
    { type: "boolean", input: "oui", error: "oui ou non est attendu" },
    { type: "boolean", input: 1, error: "oui ou non est attendu" },
  ] as const)("refuses the $type value $input, naming the label", ({ type, input, error }) => {
    expect(one(field(type), input)).toEqual({ values: {}, errors: [`« Valeur testée » : ${error}.`] });
  });

  it.each([
    { input: 0, error: "au moins 1" },
    { input: 101, error: "au plus 100" },
  ])("refuses an integer outside its bounds ($input)", ({ input, error }) => {
    expect(one(field("integer", { min: 1, max: 100 }), input).errors).toEqual([
      `« Valeur testée » : ${error}.`,
    ]);
  });

  it("accepts an integer on its bounds", () => {
    const bounded = field("integer", { min: 1, max: 100 });
    expect(one(bounded, 1).values).toEqual({ value: 1 });
    expect(one(bounded, 100).values).toEqual({ value: 100 });
  });

  it("refuses a select's value outside its options, listing their labels", () => {
    const select = field("select", {
      options: [
        { value: "prod", label: "Production" },
        { value: "test", label: "Recette" },
      ],
    });
    expect(one(select, "dev").errors).toEqual([
      "« Valeur testée » : choisir parmi « Production », « Recette ».",
    ]);
  });

  it.each([undefined, null, "", "   "])("says a required field given %j is missing", (input) => {
    expect(one(field("text", { required: true }), input)).toEqual({
      values: {},
      errors: ["« Valeur testée » : ce champ est obligatoire."],
    });
  });

  it.each(["text", "secret", "url", "integer"] as const)("leaves out an optional %s left blank", (type) => {
    expect(one(field(type), "  ")).toEqual({ values: {}, errors: [] });
  });

  it("fills in defaults, with the field's type", () => {
    const schema: ConfigSchema = [
      {
        key: "timeoutMs",
        label: "Délai",
        type: "integer",
        default: "5000" as unknown as number,
        required: true,
      },
      { key: "live", label: "En direct", type: "boolean", default: true },
      {
        key: "mode",
        label: "Mode",
        type: "select",
        default: "prod",
        options: [{ value: "prod", label: "Production" }],
      },
    ];
    expect(checkConfigValues(schema, { timeoutMs: "" })).toEqual({
      values: { timeoutMs: 5000, live: true, mode: "prod" },
      errors: [],
    });
  });

  it("prefers a given value to the default", () => {
    expect(one(field("integer", { default: 5 }), 7).values).toEqual({ value: 7 });
  });

  it("drops unknown keys", () => {
    expect(
      checkConfigValues([field("text")], { value: "a", other: "b", __proto__: { x: 1 } }).values,
    ).toEqual({
      value: "a",
    });
  });

  it.each([null, undefined, "baseUrl=x", 42])("takes %j for an empty configuration", (input) => {
    expect(checkConfigValues([field("text", { required: true })], input).errors).toEqual([
      "« Valeur testée » : ce champ est obligatoire.",
    ]);
  });

  it("reports every field's problem at once, each naming its own label", () => {
    const schema: ConfigSchema = [
      { key: "baseUrl", label: "Adresse du service", type: "url", required: true },
      { key: "apiKey", label: "Clé d'API", type: "secret", required: true },
      { key: "pageSize", label: "Taille des pages", type: "integer", min: 1 },
    ];
    expect(checkConfigValues(schema, { baseUrl: "ftp://x", pageSize: 0 }).errors).toEqual([
      "« Adresse du service » : une adresse http:// ou https:// est attendue.",
      "« Clé d'API » : ce champ est obligatoire.",
      "« Taille des pages » : au moins 1.",
    ]);
  });
});

describe("schemaProblems", () => {
  it("finds nothing in a good schema", () => {
    expect(
      schemaProblems(
        [
          { key: "baseUrl", label: "Adresse", type: "url", required: true },
          { key: "mode", label: "Mode", type: "select", options: [{ value: "a", label: "A" }] },
        ],
        "sourceConfig",
      ),
    ).toEqual([]);
  });

  it.each([
    { schema: { key: "a" }, problem: "sourceConfig must be an array of fields" },
    {
      schema: [{ key: "base-url", label: "A", type: "url" }],
      problem: "sourceConfig[0].key must be camelCase",
    },
    {
      schema: [{ key: "BaseUrl", label: "A", type: "url" }],
      problem: "sourceConfig[0].key must be camelCase",
    },
    {
      schema: [
        { key: "a", label: "A", type: "text" },
        { key: "a", label: "B", type: "text" },
      ],
      problem: 'sourceConfig[1].key "a" is repeated',
    },
    { schema: [{ key: "a", label: " ", type: "text" }], problem: "sourceConfig[0].label is missing" },
    {
      schema: [{ key: "a", label: "A", type: "password" }],
      problem: "sourceConfig[0].type must be one of text, secret, url, integer, boolean, select",
    },
    {
      schema: [{ key: "a", label: "A", type: "select", options: [] }],
      problem: "sourceConfig[0].options must list the choices of a select",
    },
  ])("reports $problem", ({ schema, problem }) => {
    expect(schemaProblems(schema, "sourceConfig")).toEqual([problem]);
  });

  it("survives a field that is not an object", () => {
    expect(schemaProblems([null], "performanceParams")).toEqual([
      "performanceParams[0].key must be camelCase",
      "performanceParams[0].label is missing",
      "performanceParams[0].type must be one of text, secret, url, integer, boolean, select",
    ]);
  });
});

describe("secretKeys", () => {
  it("lists the secret fields only", () => {
    expect(
      secretKeys([
        { key: "login", label: "Identifiant", type: "text" },
        { key: "password", label: "Mot de passe", type: "secret" },
        { key: "apiKey", label: "Clé", type: "secret" },
      ]),
    ).toEqual(["password", "apiKey"]);
  });

  it("is empty without secrets", () => {
    expect(secretKeys([])).toEqual([]);
  });
});
