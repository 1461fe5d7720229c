// ESLint flat config: typescript-eslint's recommended rules (not the type-checked set, so `eslint .` stays a few seconds).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  globalIgnores(["node_modules/", "dist/", "coverage/", ".caf-audit/", "manifest/teams/build/", "devTools/", "tmp/"]),
  js.configs.recommended,
  tseslint.configs.recommended,
);
