// Shared Jest settings: swc transpiles TypeScript (type-checking is `npm run typecheck`).
const swc = [
  "@swc/jest",
  {
    jsc: {
      parser: { syntax: "typescript", decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: "es2022",
    },
    module: { type: "commonjs" },
  },
];

module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.(t|j)sx?$": swc },
  transformIgnorePatterns: ["/node_modules/(?!(jose|agenda|@agendajs|cron-parser)/)"],
  testMatch: ["<rootDir>/**/*.spec.ts", "<rootDir>/**/*.e2e-spec.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
};
