// Summarises a run of the HTTP cache conformance suite (npm package http-cache-tests), for
// bench/conformance.sh:
//   node conformance_summary.mjs PACKAGE_DIR FAILING_OUT NAME=RESULTS.json...
// Prints, per test kind (the suite's `kind`: required, optimal, check), how many tests each result
// set passed, next to the same counts from the results the package publishes for the shared caches
// (results/index.mjs, browsers left out). Writes to FAILING_OUT every test the first result set
// did not pass, grouped by test file, with the suite's verdict symbol and message.
// Verdicts are the suite's own (lib/display.mjs determineTestResult, as cache-tests.fyi shows
// them): a test whose dependency failed counts as not passed, as on the site.
import fs from 'fs'
import path from 'path'
import { pathToFileURL } from 'url'

const [pkg, failingOut, ...sets] = process.argv.slice(2)
if (!pkg || !failingOut || sets.length === 0) {
  console.error('usage: conformance_summary.mjs PACKAGE_DIR FAILING_OUT NAME=RESULTS.json...')
  process.exit(2)
}
const load = rel => import(pathToFileURL(path.join(pkg, rel)).href)

// The suites cli.mjs runs: tests/index.mjs plus Surrogate-Control, each from one file of tests/.
const suites = (await load('tests/index.mjs')).default.slice()
suites.push((await load('tests/surrogate-control.mjs')).default)
const fileOf = new Map()
for (const f of fs.readdirSync(path.join(pkg, 'tests')).filter(f => f.endsWith('.mjs')).sort()) {
  const mod = (await load(`tests/${f}`)).default
  if (mod && mod.id && Array.isArray(mod.tests)) fileOf.set(mod.id, f)
}
const { determineTestResult } = await load('lib/display.mjs')

// What the client runs (client/runner.mjs skips browser-only tests when not testing a browser).
const tests = []
for (const suite of suites) {
  for (const test of suite.tests) {
    if (test.browser_only === true) continue
    tests.push({ suite, test, kind: test.kind || 'required' })
  }
}
const KINDS = ['required', 'optimal', 'check']
const PASSED = new Set(['✅', 'Y'])

const columns = sets.map(arg => {
  const i = arg.indexOf('=')
  return { name: arg.slice(0, i), results: JSON.parse(fs.readFileSync(arg.slice(i + 1), 'utf8')) }
})
for (const impl of (await load('results/index.mjs')).default) {
  if (impl.type === 'browser') continue
  columns.push({
    name: `${impl.name} ${impl.version} (published)`,
    results: JSON.parse(fs.readFileSync(path.join(pkg, 'results', impl.file), 'utf8'))
  })
}

const verdict = (results, id) => determineTestResult(suites, id, results)[2]

const total = Object.fromEntries(KINDS.map(k => [k, tests.filter(t => t.kind === k).length]))
const pad = (s, n) => String(s).padEnd(n)
const width = Math.max(...columns.map(c => c.name.length)) + 2
console.log(`http-cache-tests: ${tests.length} tests run by its command-line client; passed per kind`)
console.log(`(check: "yes" answers; not run by a cache's published results = not passed)`)
console.log(pad('', width) + KINDS.map(k => pad(`${k} (${total[k]})`, 16)).join('') + 'required: fail / not run or setup / dependency')
for (const col of columns) {
  const passed = Object.fromEntries(KINDS.map(k => [k, 0]))
  let fail = 0; let other = 0; let dep = 0
  for (const t of tests) {
    const v = verdict(col.results, t.test.id)
    if (PASSED.has(v)) passed[t.kind]++
    else if (t.kind === 'required') {
      if (v === '⛔️') fail++
      else if (v === '⚪️') dep++
      else other++
    }
  }
  console.log(pad(col.name, width) + KINDS.map(k => pad(passed[k], 16)).join('') + `${fail} / ${other} / ${dep}`)
}

// The first result set's tests it did not pass, by file; required first within a file.
const mine = columns[0]
const published = columns.filter(c => c.name.endsWith('(published)'))
const order = { required: 0, optimal: 1, check: 2 }
const lines = [`# ${mine.name}: tests not passed, by test file (verdict, kind, id, [how many of the ${published.length} published`,
  '# shared caches passed it], name, message)',
  '# verdicts: ⛔️ required failed, ⚠️ optimal failed, N check answered no, ⚪️ a dependency failed,',
  '#           🔹 setup failed, ⁉️ harness failed, ↻ retried, - not run']
let count = 0
for (const suite of suites) {
  const rows = tests.filter(t => t.suite === suite && !PASSED.has(verdict(mine.results, t.test.id)))
    .sort((a, b) => order[a.kind] - order[b.kind])
  if (rows.length === 0) continue
  lines.push('', `== ${fileOf.get(suite.id) || suite.id} (${suite.name}): ${rows.length}`)
  for (const t of rows) {
    const r = mine.results[t.test.id]
    const msg = Array.isArray(r) ? ` -- ${r[1]}` : ''
    const others = published.filter(c => PASSED.has(verdict(c.results, t.test.id))).length
    lines.push(`${verdict(mine.results, t.test.id)} ${t.kind} ${t.test.id} [${others}/${published.length}]: ${t.test.name.replace(/\s+/g, ' ')}${msg}`)
    count++
  }
}
fs.writeFileSync(failingOut, lines.join('\n') + '\n')
console.log(`${count} tests not passed by ${mine.name} (check "no" answers included): ${failingOut}`)
