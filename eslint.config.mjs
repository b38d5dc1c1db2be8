// Lint and format rules, run by `npm test` (`npm run lint`). The import boundaries below keep every
// arrow of the hexagon pointing inward (STYLE.md): a file that reaches outward fails the suite.
import * as effectEslint from "@effect/eslint-plugin"
import tseslint from "typescript-eslint"

const platforms = ["deliveroo", "sevenrooms", "thefork", "ubereats", "zenchef"]

/** `no-restricted-imports` patterns that forbid the given folders, whatever the relative depth. */
const forbid = (folders, message) => ({
  group: folders.flatMap((folder) => [`**/${folder}`, `**/${folder}/**`]),
  message
})

/**
 * The packages' index modules load every module they have: `@effect/platform`'s alone brings the
 * Scalar and Swagger pages (20 MB of strings) into each thread's heap. Import the module itself.
 */
const barrels = ["@effect/platform", "@effect/platform-node", "@effect/sql", "@effect/sql-pg", "@effect/opentelemetry"]
  .map((name) => ({ name, message: `import the module (${name}/<Module>): the index loads every module of the package` }))

const restrict = (...patterns) => ["error", { paths: barrels, patterns }]

const adapters = forbid(["adapters"], "only the wiring (main.ts, layers, the sync thread's entry) imports adapters")
const http = forbid(["app/http", "http"], "the HTTP layer calls the services, never the reverse")
const simulators = forbid(["simulators"], "simulators are test doubles: production code never imports them")

export default tseslint.config(
  {
    ignores: ["node_modules/**", "bench/results/**", ".data/**", "dist/**", "**/*.js", "**/*.mjs"]
  },
  {
    files: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "*.ts"],
    languageOptions: { parser: tseslint.parser },
    plugins: { "@effect": effectEslint },
    rules: {
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }]
    }
  },
  {
    files: ["src/**/*.ts"],
    rules: { "no-restricted-imports": restrict() }
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": restrict(
        forbid(["ports", "adapters", "app", "simulators"], "the domain is pure: it imports effect and itself only"),
        { group: ["@effect/*", "@effect/*/**", "node:*", "pg"], message: "the domain is pure: it imports effect and itself only" }
      )
    }
  },
  {
    files: ["src/ports/**/*.ts"],
    rules: { "no-restricted-imports": restrict(forbid(["adapters", "app", "simulators"], "ports depend on the domain only")) }
  },
  {
    files: ["src/app/services/**/*.ts", "src/app/sync/**/*.ts"],
    rules: { "no-restricted-imports": restrict(adapters, http, simulators) }
  },
  {
    files: ["src/app/http/**/*.ts"],
    rules: { "no-restricted-imports": restrict(adapters, simulators) }
  },
  {
    files: ["src/adapters/**/*.ts"],
    rules: {
      "no-restricted-imports": restrict(
        forbid(["app", "simulators"], "adapters implement ports; they never call the application")
      )
    }
  },
  ...platforms.map((platform) => ({
    files: [`src/adapters/platforms/${platform}/**/*.ts`],
    rules: {
      "no-restricted-imports": restrict(
        forbid(["app", "simulators"], "adapters implement ports; they never call the application"),
        forbid(
          platforms.filter((other) => other !== platform).map((other) => `platforms/${other}`).concat(
            platforms.filter((other) => other !== platform).map((other) => `../${other}`)
          ),
          "a platform never imports another platform's files: shared code lives in platforms/shared"
        )
      )
    }
  })),
  {
    files: ["src/simulators/**/*.ts"],
    rules: {
      "no-restricted-imports": restrict(
        forbid(["adapters", "app", "ports"], "simulators follow the platforms' documentation and share no code with the mappers")
      )
    }
  }
)
