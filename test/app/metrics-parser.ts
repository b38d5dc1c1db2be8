/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it throws on any
 * line a Prometheus server would reject or misread (bad names, escapes or values, a TYPE after
 * samples, families split apart, duplicate series, inconsistent histograms).
 */
export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}
export interface Family {
  readonly type: string
  readonly help: string | undefined
  readonly samples: Array<Sample>
}

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"])

const parseValue = (text: string, line: string): number => {
  if (text === "+Inf") return Infinity
  if (text === "-Inf") return -Infinity
  if (text === "NaN") return NaN
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value "${text}" in: ${line}`)
  return Number(text)
}

/** Reads `{a="x",b="y"}` from `text` at `at`; returns the labels and the index after `}`. */
const parseLabels = (text: string, at: number, line: string): [Record<string, string>, number] => {
  const labels: Record<string, string> = {}
  let i = at + 1
  while (text[i] !== "}") {
    const eq = text.indexOf("=", i)
    const name = text.slice(i, eq)
    if (eq < 0 || !LABEL.test(name) || text[eq + 1] !== "\"") throw new Error(`bad label at ${i} in: ${line}`)
    if (name in labels) throw new Error(`label ${name} repeated in: ${line}`)
    let value = ""
    i = eq + 2
    for (; text[i] !== "\""; i++) {
      if (i >= text.length || text[i] === "\n") throw new Error(`unterminated label value in: ${line}`)
      if (text[i] === "\\") {
        const escaped = ({ "\\": "\\", "\"": "\"", n: "\n" } as Record<string, string>)[text[i + 1] ?? ""]
        if (escaped === undefined) throw new Error(`bad escape in: ${line}`)
        value += escaped
        i++
      } else value += text[i]
    }
    labels[name] = value
    i++
    if (text[i] === ",") i++
    else if (text[i] !== "}") throw new Error(`expected , or } at ${i} in: ${line}`)
  }
  return [labels, i + 1]
}

// HELP text knows two escapes only: \\ and \n.
const unescapeHelp = (text: string, line: string) =>
  text.replace(/\\(.?)/g, (_, c: string) => {
    if (c === "\\") return "\\"
    if (c === "n") return "\n"
    throw new Error(`bad escape in HELP: ${line}`)
  })

const familyOf = (name: string, families: Map<string, Family>) => {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const base = name.slice(0, -suffix.length)
    const type = name.endsWith(suffix) ? families.get(base)?.type : undefined
    if (type === "histogram" || (type === "summary" && suffix !== "_bucket")) return base
  }
  return name
}

const checkHistogram = (name: string, family: Family) => {
  const series = new Map<string, { buckets: Array<[number, number]>; count?: number; sum?: number }>()
  for (const s of family.samples) {
    const { le, ...rest } = s.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    const entry = series.get(key) ?? { buckets: [] }
    if (s.name === `${name}_bucket`) {
      if (le === undefined) throw new Error(`${name}_bucket without le`)
      entry.buckets.push([parseValue(le, le), s.value])
    } else if (s.name === `${name}_count`) entry.count = s.value
    else if (s.name === `${name}_sum`) entry.sum = s.value
    else throw new Error(`unexpected sample ${s.name} in histogram ${name}`)
    series.set(key, entry)
  }
  for (const [key, { buckets, count, sum }] of series) {
    if (count === undefined || sum === undefined) throw new Error(`${name}${key}: _count or _sum missing`)
    buckets.forEach(([le, n], i) => {
      if (i > 0 && (le <= buckets[i - 1]![0] || n < buckets[i - 1]![1])) {
        throw new Error(`${name}${key}: buckets not increasing or not cumulative`)
      }
    })
    const last = buckets.at(-1)
    if (last === undefined || last[0] !== Infinity || last[1] !== count) {
      throw new Error(`${name}${key}: +Inf bucket missing or not equal to _count`)
    }
  }
}

export const parsePrometheus = (text: string): Map<string, Family> => {
  if (text !== "" && !text.endsWith("\n")) throw new Error("the exposition must end with a newline")
  const families = new Map<string, Family>()
  const closed = new Set<string>()
  const seen = new Set<string>()
  let current: string | undefined
  const enter = (name: string) => {
    if (current !== name) {
      if (closed.has(name)) throw new Error(`family ${name} is split apart`)
      if (current !== undefined) closed.add(current)
      current = name
    }
  }
  for (const line of text.split("\n").slice(0, -1)) {
    if (line.trim() === "") continue
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line)
    if (meta !== null) {
      const [, kind, name = "", rest = ""] = meta
      if (!METRIC.test(name)) throw new Error(`bad metric name in: ${line}`)
      enter(name)
      const family = families.get(name) ?? { type: "untyped", help: undefined, samples: [] }
      if (kind === "TYPE") {
        if (!TYPES.has(rest) || family.type !== "untyped" || family.samples.length > 0) {
          throw new Error(`bad or late TYPE: ${line}`)
        }
        families.set(name, { ...family, type: rest })
      } else {
        if (family.help !== undefined) throw new Error(`second HELP: ${line}`)
        families.set(name, { ...family, help: unescapeHelp(rest, line) })
      }
      continue
    }
    if (line.startsWith("#")) continue
    const name = /^[^\s{]+/.exec(line)?.[0] ?? ""
    if (!METRIC.test(name)) throw new Error(`bad metric name in: ${line}`)
    const [labels, end] = line[name.length] === "{" ? parseLabels(line, name.length, line) : [{}, name.length]
    const parts = line.slice(end).trim().split(/ +/)
    if (line[end] !== " " || parts.length < 1 || parts.length > 2) throw new Error(`bad sample: ${line}`)
    const value = parseValue(parts[0] ?? "", line)
    const base = familyOf(name, families)
    enter(base)
    const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`
    if (seen.has(id)) throw new Error(`duplicate series: ${line}`)
    seen.add(id)
    const family = families.get(base) ?? { type: "untyped", help: undefined, samples: [] }
    family.samples.push({ name, labels, value })
    families.set(base, family)
  }
  for (const [name, family] of families) if (family.type === "histogram") checkHistogram(name, family)
  return families
}

/** The value of one series, 0 when absent (a counter not yet incremented). */
export const valueOf = (
  families: Map<string, Family>,
  family: string,
  labels: Record<string, string>,
  sample = family
) =>
  families.get(family)?.samples.find((s) =>
    s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
    Object.keys(s.labels).length === Object.keys(labels).length
  )?.value ?? 0
