// Draws the latency and errors chart of /ops as inline SVG: no library, no build step.
// Bars are failed attempts per interval (right scale); lines are p95 and average latency (left scale).
"use strict"

window.opsChart = (() => {
  const NS = "http://www.w3.org/2000/svg"
  const W = 720, H = 240, M = { top: 16, right: 44, bottom: 42, left: 56 }

  const el = (name, attrs, text) => {
    const node = document.createElementNS(NS, name)
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
    if (text !== undefined) node.textContent = text
    return node
  }

  // A round upper bound for an axis, so the ticks read well.
  const niceMax = (value) => {
    if (value <= 0) return 1
    const power = Math.pow(10, Math.floor(Math.log10(value)))
    return [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= value)
  }

  // Counts are whole: their axis goes up in whole steps, four of them.
  const countMax = (value) => Math.max(4, Math.ceil(niceMax(value) / 4) * 4)

  // A tick's value as it is (2.5 ms, not 3 ms): at most two decimals.
  const tickLabel = (value) => String(Math.round(value * 100) / 100)

  const timeLabel = (ms, spanMs) => {
    const d = new Date(ms)
    return spanMs > 36 * 3600e3
      ? d.toLocaleDateString(undefined, { month: "short", day: "numeric" })
      : d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })
  }

  /** Every interval of the window, the empty ones as zero, so gaps show as gaps. */
  const fill = (summary) => {
    const from = Date.parse(summary.from)
    const step = summary.bucketSeconds * 1000
    const count = Math.ceil((Date.parse(summary.to) - from) / step)
    const byStart = new Map(summary.timeline.map((p) => [Math.round((Date.parse(p.at) - from) / step), p]))
    return Array.from({ length: count }, (_, i) => ({ at: from + i * step, ...(byStart.get(i) ?? { attempts: 0, errors: 0, avgMs: null, p95Ms: null }) }))
  }

  const draw = (container, summary) => {
    const points = fill(summary)
    const innerW = W - M.left - M.right, innerH = H - M.top - M.bottom
    const maxMs = niceMax(Math.max(0, ...points.map((p) => p.p95Ms ?? p.avgMs ?? 0)))
    const maxErrors = countMax(Math.max(0, ...points.map((p) => p.errors)))
    const slot = innerW / Math.max(points.length, 1)
    const x = (i) => M.left + i * slot + slot / 2
    const yMs = (v) => M.top + innerH - (v / maxMs) * innerH
    const yErr = (v) => M.top + innerH - (v / maxErrors) * innerH
    const totalErrors = points.reduce((n, p) => n + p.errors, 0)
    const worst = Math.max(0, ...points.map((p) => p.p95Ms ?? 0))

    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "chart-title chart-desc" })
    svg.append(
      el("title", { id: "chart-title" }, "Sync latency and errors over time"),
      el("desc", { id: "chart-desc" }, `${points.length} intervals; ${totalErrors} failed attempts; worst p95 latency ${Math.round(worst)} ms.`)
    )
    for (let t = 0; t <= 4; t++) {
      const y = M.top + (innerH * t) / 4
      svg.append(el("line", { class: "grid", x1: M.left, x2: W - M.right, y1: y, y2: y }))
      svg.append(el("text", { x: M.left - 6, y: y + 4, "text-anchor": "end" }, `${tickLabel(maxMs * (1 - t / 4))} ms`))
      svg.append(el("text", { x: W - M.right + 6, y: y + 4 }, tickLabel(maxErrors * (1 - t / 4))))
    }
    points.forEach((p, i) => {
      if (p.errors > 0) {
        const y = yErr(p.errors)
        const bar = el("rect", { class: "bar", x: x(i) - slot * 0.35, y, width: slot * 0.7, height: M.top + innerH - y })
        bar.append(el("title", {}, `${new Date(p.at).toLocaleString()}: ${p.errors} failed of ${p.attempts}`))
        svg.append(bar)
      }
    })
    // A line per run of intervals with data; a lone interval is a dot.
    for (const [key, cls] of [["p95Ms", "p95"], ["avgMs", "avg"]]) {
      let run = []
      const flush = () => {
        if (run.length === 1) svg.append(el("circle", { class: cls, cx: run[0][0], cy: run[0][1], r: 3 }))
        if (run.length > 1) svg.append(el("polyline", { class: cls, points: run.map((c) => c.join(",")).join(" ") }))
        run = []
      }
      points.forEach((p, i) => (p[key] === null ? flush() : run.push([x(i), yMs(p[key])])))
      flush()
    }
    svg.append(el("line", { class: "axis", x1: M.left, x2: W - M.right, y1: M.top + innerH, y2: M.top + innerH }))
    const spanMs = points.length * summary.bucketSeconds * 1000
    for (let i = 0; i < points.length; i += Math.ceil(points.length / 6)) {
      svg.append(el("text", { x: x(i), y: H - M.bottom + 16, "text-anchor": "middle" }, timeLabel(points[i].at, spanMs)))
    }
    const legend = [["p95", "p95 latency"], ["avg", "average latency"], ["bar", "failed attempts"]]
    legend.forEach(([cls, label], i) => {
      const lx = M.left + i * 150
      svg.append(cls === "bar" ? el("rect", { class: "bar", x: lx, y: H - 12, width: 14, height: 8 }) : el("line", { class: cls, x1: lx, x2: lx + 14, y1: H - 8, y2: H - 8 }))
      svg.append(el("text", { x: lx + 20, y: H - 4 }, label))
    })
    container.replaceChildren(svg)
    return points
  }

  return { draw }
})()
