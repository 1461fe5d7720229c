// ESLint flat config: typescript-eslint's recommended rules (not the type-checked set, so `eslint .` stays a few seconds).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores(["node_modules/", "dist/", "coverage/", ".caf-audit/", "manifest/teams/build/", "devTools/", "tmp/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A parameter a signature needs but the body does not use is named with a leading underscore
      // (Express only treats a handler as error middleware when it declares all four: err, req, res, next).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // `let x; ... () => x?.f(); ... x = make()` is deliberate: closures made before x exists read it as undefined,
      // where a const would throw in its temporal dead zone.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ["test/**"],
    rules: {
      // The test harnesses read raw Slack and Teams payloads (JSON bodies, Block Kit, Adaptive Cards) as loose objects.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
