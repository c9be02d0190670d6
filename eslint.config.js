// Lint rules that keep the layers and the protocol stream honest. The layering rule is repeated
// as a test (test/architecture/layering.test.ts) so that it cannot be switched off in one place.
import tseslint from "typescript-eslint";

const layers = ["cli", "transport", "rpc", "dispatch", "handlers", "core", "sandbox"];
// Each server layer may import only from layers listed after it (plus protocol/).
const layerRules = layers.map((layer, i) => ({
  files: [`server/${layer}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: layers.slice(0, i).map((above) => ({
          group: [`**/${above}/*`, `**/${above}/**`],
          message: `server/${layer} must not import from server/${above} (data flows one way).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ["dist/**", "schema/**", "node_modules/**", "coverage/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  { files: ["**/*.mjs", "**/*.js"], ...tseslint.configs.disableTypeChecked },
  ...layerRules,
  {
    files: ["server/**/*.ts", "protocol/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: { "no-console": "error" },
  },
  {
    files: ["protocol/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["node:*"], message: "protocol/ is pure: no node:* imports." }] }],
    },
  },
);
