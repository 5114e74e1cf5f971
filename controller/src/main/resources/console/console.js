/*
 * The OpenCache console (docs/design.md §4 "Console"). Everything it shows comes from the
 * controller's JSON-RPC API (POST /) with the token the user gives, kept in sessionStorage only.
 * No framework, no build step: one file, loaded after the page (defer).
 */
"use strict";

const TOKEN_KEY = "opencache-token";
const POLL_MS = 5000;
const MAX_BATCH = 100; // the controller's default max_batch
const STEPS = { 900: 10, 3600: 30, 86400: 600, 604800: 3600 }; // window (s) -> step (s): 90..168 points

const state = { role: null, view: "fleet", nodes: [], windowSeconds: 3600, charts: {}, timer: null, rpcId: 0 };

const $ = (id) => document.getElementById(id);

/** An error of the JSON-RPC API, with its code, message and data. */
class RpcError extends Error {
  constructor(error, method) {
    super(describe(error, method));
    this.code = error.code;
    this.data = error.data;
  }
}

/** One sentence for a JSON-RPC error; a -32001 names each node that failed and why. */
function describe(error, method) {
  let text = `${method}: ${error.message} (${error.code})`;
  if (error.code === -32001 && error.data && Array.isArray(error.data.failed)) {
    text += ": " + error.data.failed.map((f) => `node ${f["node-id"]}: ${f.reason}`).join("; ");
  } else if (error.data !== undefined && error.data !== null) {
    text += ": " + (typeof error.data === "string" ? error.data : JSON.stringify(error.data));
  }
  return text;
}

function headers() {
  const h = { "Content-Type": "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) {
    h.Authorization = "Bearer " + token;
  }
  return h;
}

async function post(body) {
  const response = await fetch("/", { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin("The token was refused.");
    throw new Error("unauthorized");
  }
  return response.json();
}

/** Calls one method; resolves to its result or rejects with an RpcError. */
async function rpc(method, params) {
  const answer = await post({ jsonrpc: "2.0", id: ++state.rpcId, method, params: params || {} });
  if (answer.error) {
    throw new RpcError(answer.error, method);
  }
  return answer.result;
}

/** Calls many methods in batches of at most MAX_BATCH; resolves to one result (or error object) per call, in order. */
async function rpcBatch(calls) {
  const results = [];
  for (let i = 0; i < calls.length; i += MAX_BATCH) {
    const chunk = calls.slice(i, i + MAX_BATCH);
    const first = state.rpcId + 1;
    const answers = await post(chunk.map((c) => ({ jsonrpc: "2.0", id: ++state.rpcId, method: c.method, params: c.params })));
    const byId = new Map((Array.isArray(answers) ? answers : [answers]).map((a) => [a.id, a]));
    chunk.forEach((c, k) => results.push(byId.get(first + k) || { error: { code: 0, message: "no answer" } }));
  }
  return results;
}

function say(text, ok) {
  const m = $("message");
  m.textContent = text;
  m.className = ok ? "ok" : "";
  m.setAttribute("role", ok ? "status" : "alert");
  m.hidden = !text;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c === null || c === undefined ? "" : c);
  return e;
}

const num = (v) => el("td", { class: "num" }, v);
function bytes(n) {
  if (n === null || n === undefined) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}
const percent = (r) => (r === null || r === undefined ? "–" : (100 * r).toFixed(1) + " %");
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "–");

// ---- token and role -------------------------------------------------------------------

function showLogin(reason) {
  for (const s of document.querySelectorAll("main > section")) s.hidden = true;
  $("login").hidden = false;
  say(reason || "", false);
  $("token").focus();
}

/** Asks the controller which role our credentials give (GET /console/whoami); shows the login form on 401. */
async function whoami() {
  const response = await fetch("/console/whoami", { headers: headers() });
  const body = await response.json();
  if (response.status === 401 || body.role === null) {
    const refused = response.status === 401;
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(refused ? "The token was refused: " + body.error : "");
    return false;
  }
  state.role = body.role;
  document.body.dataset.role = body.role;
  $("who").textContent = body.tokens ? `token role: ${body.role}` : "";
  $("logout").hidden = !body.tokens;
  $("login").hidden = true;
  for (const a of document.querySelectorAll(".action")) a.hidden = body.role !== "admin";
  return true;
}

const canAct = () => state.role === "admin";

// ---- views -----------------------------------------------------------------------------

async function loadFleet() {
  const since = new Date(Date.now() - 86400e3).toISOString();
  const [nodes, alerts] = await Promise.all([rpc("nodes"), rpc("alerts", { since })]);
  state.nodes = nodes;
  const perNode = new Map();
  for (const a of alerts) perNode.set(a["node-id"], (perNode.get(a["node-id"]) || 0) + 1);
  const rows = nodes.map((n) => el("tr", { class: n.status === "down" ? "down" : "", "data-node": n["node-id"] },
    el("td", {}, String(n["node-id"])),
    el("td", { class: "status-" + n.status }, n.status === "down" ? "DOWN" : n.status),
    el("td", {}, n.host),
    el("td", {}, when(n.last_seen)),
    el("td", {}, n.version || "–"),
    num(n.instances.filter((i) => i.status !== "stop").length),
    num(perNode.get(n["node-id"]) || 0)));
  $("fleet-table").tBodies[0].replaceChildren(...rows);
  const down = nodes.filter((n) => n.status === "down").length;
  $("fleet-summary").textContent = `${nodes.length} nodes, ${down} down, ${alerts.length} alerts in 24 h`;
  fillScopes(nodes);
}

async function loadInstances() {
  const nodes = await rpc("nodes");
  state.nodes = nodes;
  const pairs = nodes.flatMap((n) => n.instances.map((i) => ({ node: n, instance: i })));
  const stats = await rpcBatch(pairs.map((p) => ({ method: "stat", params: { "node-id": String(p.node["node-id"]), expr: p.instance.expr } })));
  const rows = pairs.map((p, k) => {
    const s = stats[k].result || {};
    const status = p.node.status === "down" ? "down" : p.instance.status;
    const row = el("tr", { "data-node": p.node["node-id"], "data-expr": p.instance.expr, class: p.node.status === "down" ? "down" : "" },
      el("td", {}, String(p.node["node-id"])),
      el("td", {}, p.instance.expr),
      el("td", { class: "status status-" + status }, status),
      num(p.instance.port || "–"),
      num(p.instance.horizon ? p.instance.horizon + " s" : "–"),
      num(s.cache_object ?? "–"),
      num(bytes(s.cache_object_size)),
      num(percent(s.hit_ratio)));
    if (canAct()) row.append(actions(p.node["node-id"], p.instance.expr));
    return row;
  });
  $("instances-table").tBodies[0].replaceChildren(...rows);
}

/** The action buttons of one instance; stop, pause and purge ask first. */
function actions(nodeId, expr) {
  const target = { "node-id": String(nodeId), expr };
  const button = (name, label, run) => el("button", {
    type: "button", className: "act-" + name, ariaLabel: `${label} ${expr} on node ${nodeId}`,
    onclick: () => act(name, run),
  }, label);
  const ask = (question) => window.confirm(question);
  return el("td", { class: "actions action" },
    button("start", "start", () => rpc("start", target)),
    button("pause", "pause", () => ask(`Pause ${expr} on node ${nodeId}? Its port stops serving.`) && rpc("pause", target)),
    button("stop", "stop", () => ask(`Stop ${expr} on node ${nodeId}? Its stored content is deleted.`) && rpc("stop", target)),
    button("refresh", "refresh", () => rpc("refresh", target)),
    button("fetch", "fetch", () => {
      const urls = window.prompt(`URLs to fetch into ${expr} (a |-list):`);
      return urls && rpc("fetch", { "node-id": String(nodeId), expr: urls });
    }),
    button("seed", "seed", () => {
      const urls = window.prompt("URLs to seed: the first is fetched, the others become keys of the same body (a |-list):");
      return urls && rpc("seed", { "node-id": String(nodeId), expr: urls });
    }),
    button("purge", "purge", () => {
      const prefix = window.prompt(`Purge everything under this URL prefix from ${expr} (e.g. ${expr.split("/")[0]}/img):`);
      return prefix && ask(`Purge ${prefix} on node ${nodeId}? It cannot be undone.`) && rpc("purge", { ...target, prefix });
    }));
}

async function act(name, run) {
  try {
    const result = await run();
    if (result === false || result === null || result === undefined || result === "") return; // cancelled
    say(`${name}: done` + (typeof result === "object" ? " " + JSON.stringify(result) : ""), true);
  } catch (e) {
    say(e.message, false);
  }
  refresh();
}

function fillScopes(nodes) {
  const select = $("scope");
  const chosen = select.value;
  const options = [el("option", { value: "" }, "the whole fleet")];
  for (const n of nodes) {
    options.push(el("option", { value: JSON.stringify({ "node-id": String(n["node-id"]) }) }, `node ${n["node-id"]} (${n.host})`));
  }
  for (const expr of [...new Set(nodes.flatMap((n) => n.instances.map((i) => i.expr)))].sort()) {
    options.push(el("option", { value: JSON.stringify({ expr }) }, `expression ${expr}`));
  }
  select.replaceChildren(...options);
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : "";
}

async function loadGraphs() {
  if (state.nodes.length === 0) {
    state.nodes = await rpc("nodes");
    fillScopes(state.nodes);
  }
  const to = new Date();
  const from = new Date(to.getTime() - state.windowSeconds * 1000);
  const scope = $("scope").value ? JSON.parse($("scope").value) : {};
  const history = await rpc("history", { ...scope, from: from.toISOString(), to: to.toISOString(), step: STEPS[state.windowSeconds] });
  const points = history.series.length ? history.series[0].points : [];
  const t = points.map((p) => Date.parse(p.t) / 1000);
  // An interval without a report is a gap (null), not a zero: nothing is known of it.
  const known = (p, v) => (p.reports > 0 ? v : null);
  draw("count", [t, points.map((p) => known(p, p.cache_hit)), points.map((p) => known(p, p.cache_miss))],
    ["hits", "misses"], (u, v) => v);
  draw("bytes", [t, points.map((p) => known(p, p.cache_hit_size)), points.map((p) => known(p, p.cache_miss_size))],
    ["hit bytes", "miss bytes"], (u, v) => bytes(v));
  const sum = (f) => points.reduce((a, p) => a + p[f], 0);
  $("saved").textContent = bytes(sum("cache_hit_size"));
  $("graph-hits").textContent = sum("cache_hit");
  $("graph-misses").textContent = sum("cache_miss");
  $("chart-count").dataset.points = points.filter((p) => p.reports > 0 && p.cache_hit + p.cache_miss > 0).length;
}

function draw(name, data, labels, format) {
  const box = $("chart-" + name);
  const chart = state.charts[name];
  if (chart) {
    chart.setData(data);
    return;
  }
  const width = Math.max(300, box.clientWidth || 800);
  state.charts[name] = new uPlot({
    width, height: 280,
    series: [{}, { label: labels[0], stroke: "#1b5e20", width: 2, value: format },
      { label: labels[1], stroke: "#b00020", width: 2, value: format }],
    axes: [{}, { values: (u, vals) => vals.map((v) => format(u, v)), size: 70 }],
  }, data, box);
}

async function loadAlerts() {
  const since = new Date(Date.now() - 86400e3).toISOString();
  const alerts = await rpc("alerts", { since });
  const rows = alerts.slice().reverse().map((a) => el("tr", {},
    el("td", {}, when(a.time)), el("td", {}, String(a["node-id"])), el("td", {}, a.expr || "(whole node)"),
    el("td", {}, a.type), num(a.type === "disk" ? bytes(a.value) : a.value)));
  $("alerts-table").tBodies[0].replaceChildren(...rows);
  if (rows.length === 0) {
    $("alerts-table").tBodies[0].append(el("tr", {}, el("td", { colSpan: 5 }, "No alerts in the last 24 hours.")));
  }
}

const LOADERS = { fleet: loadFleet, instances: loadInstances, graphs: loadGraphs, alerts: loadAlerts };

// ---- navigation and polling ------------------------------------------------------------

async function refresh() {
  clearTimeout(state.timer);
  try {
    await LOADERS[state.view]();
    document.body.dataset.loaded = state.view;
    if (performance.getEntriesByName("console-ready").length === 0) {
      performance.mark("console-ready"); // the first screen is drawn: bench/console-load.sh reads this
    }
  } catch (e) {
    if (e.message !== "unauthorized") say(e.message, false);
  }
  state.timer = setTimeout(refresh, POLL_MS);
}

function show() {
  const view = (location.hash || "#fleet").slice(1);
  state.view = LOADERS[view] ? view : "fleet";
  for (const name of Object.keys(LOADERS)) {
    $(name).hidden = name !== state.view;
    const tab = $("tab-" + name);
    if (name === state.view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  delete document.body.dataset.loaded;
  refresh();
}

async function start() {
  if (!(await whoami())) return;
  show();
}

window.addEventListener("hashchange", show);
$("login").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("token").value = "";
  say("", false);
  start();
});
$("logout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  clearTimeout(state.timer);
  showLogin("");
});
$("scope").addEventListener("change", refresh);
for (const b of document.querySelectorAll("#windows button")) {
  b.addEventListener("click", () => {
    state.windowSeconds = Number(b.dataset.window);
    for (const o of document.querySelectorAll("#windows button")) o.setAttribute("aria-pressed", String(o === b));
    refresh();
  });
}
$("start-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const horizon = Number($("start-horizon").value || 0);
  act("start", () => rpc("start", { expr: $("start-expr").value, "node-id": $("start-node").value || "*", horizon }));
});
start();
