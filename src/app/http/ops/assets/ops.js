// The /ops page: reads /api/ops/summary (aggregated by the database) and the /api/sync/* lists,
// fills the tables, draws the chart, and replays dead letters. Text goes in with textContent
// only: error messages come from platforms and are never trusted as HTML. The page asks for an
// operator key once and the server keeps a session in an HttpOnly cookie: the key is never stored
// by the page, and no script can read the cookie.
"use strict"

const $ = (id) => document.getElementById(id)
const form = $("filters")
const statusLine = $("status")
const knownRestaurants = new Set()

const say = (text, isError = false) => {
  statusLine.textContent = text
  statusLine.classList.toggle("error", isError)
}

const filters = () => {
  const data = new FormData(form)
  return { restaurantId: data.get("restaurantId"), platform: data.get("platform"), entityType: data.get("entityType"), hours: Number(data.get("hours")) }
}

const query = (params) => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, String(v))
  return q.toString()
}

class SignedOut extends Error {}

const getJson = async (path) => {
  const response = await fetch(path, { headers: { accept: "application/json" } })
  if (response.status === 401) throw new SignedOut("sign in with an operator API key")
  if (!response.ok) throw new Error(`${path.split("?")[0]} answered ${response.status}`)
  return response.json()
}

const signInForm = $("sign-in")
const signedIn = (yes) => {
  signInForm.hidden = yes
  $("sign-out").hidden = !yes
  $("main").hidden = !yes
  if (!yes) $("api-key").focus()
}

const when = (iso) => {
  const time = document.createElement("time")
  time.dateTime = iso
  time.textContent = new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" })
  return time
}

const pill = (text) => Object.assign(document.createElement("span"), { className: `pill ${text}`, textContent: text })

/** A cell from a string, a number (right-aligned), or a node; `cls` adds a class. */
const cell = (value, cls) => {
  const td = document.createElement("td")
  if (value instanceof Node) td.append(value)
  else td.textContent = value === null || value === undefined || value === "" ? "—" : String(value)
  if (typeof value === "number") td.classList.add("num")
  if (cls) td.classList.add(cls)
  return td
}

const fillTable = (id, rows, toCells, emptyText = "None") => {
  const body = $(id).tBodies[0]
  const columns = $(id).tHead.rows[0].cells.length
  if (rows.length === 0) {
    const tr = document.createElement("tr")
    tr.append(Object.assign(document.createElement("td"), { colSpan: columns, className: "empty", textContent: emptyText }))
    body.replaceChildren(tr)
    return
  }
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr")
    tr.append(...toCells(row))
    return tr
  }))
}

const percent = (rate) => `${(rate * 100).toFixed(1)} %`
const ms = (value) => (value === null ? null : `${Math.round(value)} ms`)
const entity = (row) => row.entityType.replaceAll("_", " ")

const replayButton = (job) => {
  const button = Object.assign(document.createElement("button"), { type: "button", textContent: "Replay" })
  button.setAttribute("aria-label", `Replay job ${job.id} (${job.platform} ${entity(job)} of ${job.restaurantId})`)
  button.addEventListener("click", async () => {
    button.disabled = true
    say(`Replaying job ${job.id}…`)
    try {
      const response = await fetch(`/api/sync/jobs/${job.id}/replay`, { method: "POST" })
      if (response.status === 401) throw new SignedOut("the session has ended: sign in again")
      if (!response.ok) throw new Error(`replay answered ${response.status}`)
      await refresh()
      say(`Job ${job.id} replayed: it runs again on the next worker pass.`)
    } catch (error) {
      button.disabled = false
      say(`Replay of job ${job.id} failed: ${error.message}`, true)
    }
  })
  return button
}

const render = ({ summary, failures, conflicts, retrying, dead }) => {
  for (const row of summary.health) knownRestaurants.add(row.restaurantId)
  const select = $("f-restaurant")
  const chosen = select.value
  select.replaceChildren(new Option("All restaurants", ""), ...[...knownRestaurants].sort().map((r) => new Option(r, r)))
  select.value = chosen

  const sum = (key) => summary.health.reduce((n, row) => n + row[key], 0)
  const attempts = sum("attempts"), errors = sum("errors")
  $("t-attempts").textContent = String(attempts)
  $("t-error-rate").textContent = percent(attempts === 0 ? 0 : errors / attempts)
  $("t-conflicts").textContent = String(sum("conflicts"))
  $("t-retrying").textContent = String(retrying.length)
  $("t-dead").textContent = String(dead.length)
  $("t-dead").classList.toggle("bad", dead.length > 0)
  $("t-error-rate").classList.toggle("bad", errors > 0)

  fillTable("health", summary.health, (row) => [
    cell(row.restaurantId), cell(row.platform),
    row.lastSuccessAt ? cell(when(row.lastSuccessAt)) : cell("never", "never"),
    cell(row.attempts), cell(row.errors), cell(percent(row.errorRate)), cell(row.conflicts), cell(ms(row.avgMs)),
    cell(row.lastError, row.lastError ? "error" : undefined)
  ], "No platform is configured")
  const points = window.opsChart.draw($("chart"), summary)
  fillTable("chart-data", points.filter((p) => p.attempts > 0), (p) => [
    cell(when(new Date(p.at).toISOString())), cell(p.attempts), cell(p.errors), cell(p.avgMs === null ? null : Math.round(p.avgMs)), cell(p.p95Ms === null ? null : Math.round(p.p95Ms))
  ], "No activity in the window")
  fillTable("failures", failures, (l) => [
    cell(when(l.createdAt)), cell(l.restaurantId), cell(l.platform), cell(entity(l)), cell(l.direction), cell(l.action), cell(pill(l.status)), cell(l.retryCount ?? null), cell(l.errorMessage, "error")
  ])
  fillTable("conflicts", conflicts, (l) => [
    cell(when(l.createdAt)), cell(l.restaurantId), cell(l.platform), cell(entity(l)), cell(l.entityId), cell(l.conflictResolution)
  ])
  fillTable("retrying", retrying, (j) => [
    cell(j.id), cell(j.restaurantId), cell(j.platform), cell(entity(j)), cell(j.direction), cell(j.attempts), cell(when(j.nextAttemptAt)), cell(j.lastError, "error")
  ], "Nothing waits for a retry")
  fillTable("dead", dead, (j) => [
    cell(j.id), cell(j.restaurantId), cell(j.platform), cell(entity(j)), cell(j.direction), cell(j.attempts), cell(when(j.updatedAt)), cell(j.lastError, "error"), cell(replayButton(j))
  ], "No dead letters")
}

const refresh = async () => {
  const session = await getJson("/ops/session")
  if (!session.signedIn) throw new SignedOut("sign in with an operator API key")
  const f = filters()
  const since = new Date(Date.now() - f.hours * 3600e3).toISOString()
  const scope = { restaurantId: f.restaurantId, platform: f.platform }
  const logs = (status) => getJson(`/api/sync/logs?${query({ ...scope, entityType: f.entityType, status, from: since, limit: 20 })}`).then((page) => page.items)
  // The job lists take no entity filter: it is applied here, on at most 500 jobs.
  const jobs = (status) => getJson(`/api/sync/jobs?${query({ ...scope, status, limit: 500 })}`)
    .then((page) => page.items.filter((j) => f.entityType === "" || j.entityType === f.entityType))
  const [summary, failed, retried, conflicts, retrying, dead] = await Promise.all([
    getJson(`/api/ops/summary?${query(f)}`), logs("failed"), logs("retry"), logs("conflict"), jobs("retrying"), jobs("dead")
  ])
  const failures = [...failed, ...retried].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20)
  render({ summary, failures, conflicts, retrying, dead })
  history.replaceState(null, "", `?${query(f)}`)
  signedIn(true)
  say(`Updated ${new Date().toLocaleTimeString()}`)
}

const load = () =>
  refresh().catch((error) => {
    if (error instanceof SignedOut) {
      signedIn(false)
      say("Sign in with an operator API key.")
    } else say(`Could not load: ${error.message}`, true)
  })

signInForm.addEventListener("submit", async (event) => {
  event.preventDefault()
  const key = $("api-key")
  say("Signing in…")
  const response = await fetch("/ops/session", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ key: key.value.trim() })
  })
  key.value = ""
  if (!response.ok) {
    say(response.status === 403 ? "This key may not open the operator page." : "This key was refused.", true)
    return
  }
  await load()
})
$("sign-out").addEventListener("click", async () => {
  await fetch("/ops/session", { method: "DELETE" })
  signedIn(false)
  say("Signed out.")
})

// Filters come from the address, so a filtered view can be bookmarked or shared.
for (const [key, value] of new URLSearchParams(location.search)) {
  const field = form.elements.namedItem(key)
  if (field) {
    if (key === "restaurantId") {
      knownRestaurants.add(value)
      field.append(new Option(value, value))
    }
    field.value = value
  }
}
form.addEventListener("submit", (event) => {
  event.preventDefault()
  load()
})
$("refresh").addEventListener("click", load)
load()
