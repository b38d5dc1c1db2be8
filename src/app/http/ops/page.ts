import { EntityType, Platform } from "../../../domain/ids.js"

/**
 * GET /ops: plain HTML, filled by /ops/ops.js from the JSON API. No build step; the filters'
 * choices come from the domain's own literals so they never drift from what the API accepts.
 */
const options = (values: ReadonlyArray<string>) =>
  values.map((v) => `<option value="${v}">${v.replaceAll("_", " ")}</option>`).join("")

const table = (id: string, label: string, headers: ReadonlyArray<string>) => `
      <div class="scroll"><table id="${id}">
        <caption class="sr-only">${label}</caption>
        <thead><tr>${headers.map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead>
        <tbody><tr><td colspan="${headers.length}" class="empty">Loading…</td></tr></tbody>
      </table></div>`

const section = (id: string, title: string, body: string) => `
    <section aria-labelledby="h-${id}">
      <h2 id="h-${id}">${title}</h2>${body}
    </section>`

export const opsPage = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>AlloResto Sync — Operations</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/ops/ops.css">
  <script src="/ops/ops-chart.js" defer></script>
  <script src="/ops/ops.js" defer></script>
</head>
<body>
  <a class="skip" href="#main">Skip to content</a>
  <header>
    <h1>AlloResto Sync — Operations</h1>
    <p id="status" role="status" aria-live="polite">Loading…</p>
    <form id="sign-in" aria-label="Sign in" hidden>
      <div><label for="api-key">Operator API key</label>
        <input id="api-key" name="key" type="password" autocomplete="off" spellcheck="false" required></div>
      <div class="actions"><button type="submit">Sign in</button></div>
    </form>
    <button type="button" id="sign-out" hidden>Sign out</button>
  </header>
  <main id="main">
    <form id="filters" aria-label="Filters">
      <div><label for="f-restaurant">Restaurant</label>
        <select id="f-restaurant" name="restaurantId"><option value="">All restaurants</option></select></div>
      <div><label for="f-platform">Platform</label>
        <select id="f-platform" name="platform"><option value="">All platforms</option>${
  options(Platform.literals)
}</select></div>
      <div><label for="f-entity">Entity type</label>
        <select id="f-entity" name="entityType"><option value="">All entity types</option>${
  options(EntityType.literals)
}</select></div>
      <div><label for="f-hours">Window</label>
        <select id="f-hours" name="hours"><option value="1">Last hour</option><option value="24" selected>Last 24 hours</option><option value="168">Last 7 days</option></select></div>
      <div class="actions"><button type="submit">Apply filters</button><button type="button" id="refresh">Refresh</button></div>
    </form>
    ${
  section(
    "overview",
    "Overview",
    `
      <dl class="tiles">
        <div><dt>Sync attempts</dt><dd id="t-attempts">–</dd></div>
        <div><dt>Error rate</dt><dd id="t-error-rate">–</dd></div>
        <div><dt>Conflicts</dt><dd id="t-conflicts">–</dd></div>
        <div><dt>Retry queue</dt><dd id="t-retrying">–</dd></div>
        <div><dt>Dead letters</dt><dd id="t-dead">–</dd></div>
      </dl>`
  )
}
    ${
  section(
    "health",
    "Sync health by restaurant and platform",
    table("health", "Per restaurant and platform: last successful sync and error rate in the window", [
      "Restaurant",
      "Platform",
      "Last successful sync",
      "Attempts",
      "Errors",
      "Error rate",
      "Conflicts",
      "Avg latency",
      "Current error"
    ])
  )
}
    ${
  section(
    "chart",
    "Latency and errors over time",
    `
      <figure>
        <div id="chart" class="chart"></div>
        <figcaption>Bars: failed attempts per interval (right scale). Lines: p95 and average latency in milliseconds (left scale).</figcaption>
      </figure>
      <details><summary>Chart data as a table</summary>${
      table("chart-data", "Latency and errors per interval", [
        "Interval start",
        "Attempts",
        "Errors",
        "Avg latency (ms)",
        "p95 latency (ms)"
      ])
    }</details>`
  )
}
    ${
  section(
    "failures",
    "Recent failures",
    table("failures", "Recent failed attempts with their error", [
      "Time",
      "Restaurant",
      "Platform",
      "Entity",
      "Direction",
      "Action",
      "Outcome",
      "Attempt",
      "Error"
    ])
  )
}
    ${
  section(
    "conflicts",
    "Conflicts",
    table("conflicts", "Conflicts and how they were resolved", [
      "Time",
      "Restaurant",
      "Platform",
      "Entity",
      "Entity id",
      "Resolution"
    ])
  )
}
    ${
  section(
    "retrying",
    "Retry queue",
    table("retrying", "Jobs waiting for a retry, with their next attempt time", [
      "Job",
      "Restaurant",
      "Platform",
      "Entity",
      "Direction",
      "Attempts",
      "Next attempt",
      "Last error"
    ])
  )
}
    ${
  section(
    "dead",
    "Dead letters",
    table("dead", "Jobs that exhausted their retries; replay sends them again", [
      "Job",
      "Restaurant",
      "Platform",
      "Entity",
      "Direction",
      "Attempts",
      "Failed at",
      "Last error",
      "Action"
    ])
  )
}
  </main>
</body>
</html>
`
