// The preview page: one self-contained HTML document (inline CSS and JavaScript, no CDN, no fonts from outside).
// It talks to the preview server's small JSON API (docs/preview.md) and polls /api/version every 300 ms.
// Every word of its own (headings, buttons, labels, status and error texts, the page title) is Chinese; names,
// file names, JSON Pointers and messages passed through from other parts are data, shown in <code>/<pre> or in
// elements marked translate="no" (tests/preview/browser_test.cpp checks the visible text in headless Chromium).
#include "preview/preview_server.h"

namespace zhiping::preview {

const std::string& PreviewPageHtml() {
  static const std::string html = R"HTML(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>职评文书 · 模板预览</title>
<style>
  :root { --line:#d6d9de; --muted:#5f6670; --bad:#b42318; --badbg:#fef3f2; --warn:#8a5a00; --warnbg:#fff8e6; --ok:#1a7f37; }
  * { box-sizing: border-box; }
  body { margin:0; font: 15px/1.55 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color:#1f2328; background:#f3f4f6; }
  header { background:#8b1a1a; color:#fff; padding:10px 18px; display:flex; align-items:center; gap:16px; }
  header h1 { font-size:18px; margin:0; font-weight:600; }
  header .conn { margin-left:auto; font-size:13px; opacity:.9; }
  main { display:grid; grid-template-columns: 270px 1fr; min-height: calc(100vh - 46px); }
  nav { background:#fff; border-right:1px solid var(--line); padding:12px; overflow:auto; }
  nav h2, section h2 { font-size:14px; color:var(--muted); margin:6px 0 8px; font-weight:600; }
  #templates { list-style:none; margin:0; padding:0; }
  #templates button { width:100%; text-align:left; border:1px solid transparent; background:none; padding:7px 9px;
                      border-radius:6px; cursor:pointer; font:inherit; display:block; }
  #templates button:hover { background:#f6f8fa; }
  #templates button.active { background:#fbeaea; border-color:#e6b8b8; }
  #templates .title { font-weight:600; }
  #templates code.name { font-size:11px; color:var(--muted); display:block; }
  #templates .kind { font-size:11px; border:1px solid var(--line); border-radius:4px; padding:0 4px; margin-left:6px; color:var(--muted); }
  #templates .broken { font-size:11px; color:#b00020; margin-left:6px; }
  section.work { padding:14px 18px; overflow:auto; }
  .bar { display:flex; flex-wrap:wrap; gap:10px; align-items:center; background:#fff; border:1px solid var(--line);
         border-radius:8px; padding:10px 12px; margin-bottom:12px; }
  .bar label { font-weight:600; }
  select, textarea, button.act { font:inherit; }
  select { padding:4px 6px; max-width: 100%; }
  #download { margin-left:auto; }
  #download a { background:#8b1a1a; color:#fff; padding:5px 12px; border-radius:6px; text-decoration:none; }
  #editor-box { margin-bottom:12px; }
  #editor { width:100%; min-height:260px; font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; border:1px solid var(--line);
            border-radius:8px; padding:8px; }
  .hint { color:var(--muted); font-size:13px; }
  .box { border-radius:8px; padding:10px 14px; margin-bottom:12px; border:1px solid; }
  .box h3 { margin:0 0 6px; font-size:15px; }
  .bad { background:var(--badbg); border-color:#f3b7b2; color:#5c120c; }
  .warn { background:var(--warnbg); border-color:#f0d48a; color:#4d3300; }
  .box ul { margin:4px 0 0; padding-left:22px; }
  .box code { background:rgba(0,0,0,.06); padding:0 4px; border-radius:4px; }
  pre.detail { white-space:pre-wrap; margin:6px 0 0; font-size:13px; }
  pre.src { background:#fff; border:1px solid #f3b7b2; border-radius:6px; padding:6px 0; margin:8px 0 0; overflow:auto; }
  pre.src span { display:block; padding:0 10px; }
  pre.src span.err { background:#fde2df; font-weight:600; }
  pre.src i { color:var(--muted); font-style:normal; display:inline-block; width:3.5em; }
  #status { font-size:13px; color:var(--muted); }
  #status.ok { color:var(--ok); }
  #pages { display:flex; flex-direction:column; align-items:center; gap:16px; }
  #pages figure { margin:0; }
  #pages img { display:block; max-width:100%; height:auto; background:#fff; box-shadow:0 1px 4px rgba(0,0,0,.25); }
  #pages figcaption { text-align:center; font-size:12px; color:var(--muted); margin-top:4px; }
  #table-box { overflow:auto; background:#fff; border:1px solid var(--line); border-radius:8px; }
  #table { border-collapse:collapse; font-size:13px; }
  #table td { border:1px solid var(--line); padding:3px 7px; white-space:nowrap; }
  #table tr.head td { background:#eef1f4; font-weight:600; }
  .marker { color:var(--bad); font-weight:600; }
  [hidden] { display:none !important; }
</style>
</head>
<body>
<header><h1>职评文书 · 模板预览</h1><span class="hint" style="color:#f3d6d6">保存模板或数据文件后，本页会自动更新</span>
  <span class="conn" id="conn"></span></header>
<main>
  <nav>
    <h2>模板</h2>
    <ul id="templates"></ul>
  </nav>
  <section class="work">
    <div class="bar">
      <label for="source">数据来源</label>
      <select id="source"></select>
      <span id="status" data-version=""></span>
      <span id="download"></span>
    </div>
    <div id="editor-box" hidden>
      <textarea id="editor" spellcheck="false"></textarea>
      <div class="hint">在这里修改 JSON 数据，停止输入半秒后自动重新生成预览。</div>
    </div>
    <div id="template-error" class="box bad" hidden></div>
    <div id="problems" class="box bad" hidden></div>
    <div id="missing" class="box warn" hidden></div>
    <div id="message" class="box bad" hidden></div>
    <div id="empty" class="hint">请在左侧选择一个模板。</div>
    <div id="table-box" hidden><table id="table"></table></div>
    <div id="pages"></div>
  </section>
</main>
<script>
"use strict";
const $ = (s) => document.querySelector(s);
const cur = { template: null, source: null, version: -1, seq: 0, state: null, lastResult: null };
const RULES = {
  "required": "必须填写，但没有填写",
  "must be a JSON object": "应当是一个对象 {…}",
  "must be 男 or 女": "只能是“男”或“女”",
};

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) if (k != null) e.append(k);
  return e;
}

async function getJSON(url, opts) {
  const r = await fetch(url, Object.assign({ cache: "no-store" }, opts || {}));
  if (!r.ok && !(r.headers.get("Content-Type") || "").includes("json")) throw new Error(await r.text());
  return r.json();
}

function renderTemplates() {
  const ul = $("#templates");
  ul.textContent = "";
  for (const t of cur.state.templates) {
    // The Chinese title first (the template's @describe), the file name under it as code.
    const b = el("button", { "data-name": t.name, type: "button", class: t.name === cur.template ? "active" : "" },
      el("span", { class: "title", text: t.title || t.name }),
      el("span", { class: "kind", text: (t.output || "?").toUpperCase() }),
      t.broken ? el("span", { class: "broken", text: "有错误" }) : null,
      el("code", { class: "name", text: t.name }));
    b.addEventListener("click", () => chooseTemplate(t.name));
    ul.append(el("li", {}, b));
  }
}

function renderSources() {
  const sel = $("#source");
  const keep = cur.source;
  sel.textContent = "";
  // sample files by their file names (data, not words of the page)
  const files = el("optgroup", { label: "示例数据文件" });
  for (const s of cur.state.samples) files.append(el("option", { value: s, text: s, translate: "no" }));
  if (cur.state.samples.length) sel.append(files);
  sel.append(el("option", { value: "generated", text: "自动生成的示例数据" }));
  sel.append(el("option", { value: "editor", text: "在页面中编辑 JSON" }));
  if (keep) sel.value = keep;
}

async function loadState() {
  cur.state = await getJSON("/api/state");
  cur.version = cur.state.version;
  renderTemplates();
  renderSources();
}

function defaultSource(name) {
  const s = "samples/" + name + ".json";
  return cur.state.samples.includes(s) ? s : "generated";
}

async function chooseTemplate(name) {
  cur.template = name;
  // each template starts from its own sample; the editor starts again from that data when chosen
  cur.source = defaultSource(name);
  $("#editor").value = "";
  $("#editor-box").hidden = true;
  history.replaceState(null, "", "#" + encodeURIComponent(name));
  renderTemplates();
  renderSources();
  await refresh();
}

async function chooseSource(value) {
  const previous = cur.source;
  cur.source = value;
  $("#editor-box").hidden = value !== "editor";
  if (value === "editor" && !$("#editor").value.trim()) {
    // start from what was shown before
    const from = previous && previous !== "editor" ? previous : "generated";
    try {
      const r = await fetch("/api/source?template=" + encodeURIComponent(cur.template || "") + "&source=" +
                            encodeURIComponent(from), { cache: "no-store" });
      $("#editor").value = await r.text();
    } catch (e) { /* leave empty */ }
  }
  await refresh();
}

async function refresh() {
  if (!cur.template) return;
  const seq = ++cur.seq;
  $("#status").textContent = "正在生成…";
  $("#status").className = "";
  let res;
  try {
    const base = "/api/render?template=" + encodeURIComponent(cur.template);
    if (cur.source === "editor") {
      res = await getJSON(base, { method: "POST", headers: { "Content-Type": "application/json" }, body: $("#editor").value });
    } else {
      res = await getJSON(base + "&source=" + encodeURIComponent(cur.source));
    }
  } catch (e) {
    if (seq === cur.seq) show({ status: "error", message: e.message, heading: "预览服务没有回答" });
    return;
  }
  if (seq !== cur.seq) return;  // a newer request is on its way
  show(res);
}

function showTemplateError(te) {
  const box = $("#template-error");
  box.textContent = "";
  box.hidden = !te;
  if (!te) return;
  box.append(el("h3", { text: "模板有错误，请修改后保存" }));
  if (te.line) {
    box.append(el("div", {}, "文件 ", el("code", { text: te.file }), "，第 " + te.line + " 行：" + (te.what || "")));
    const pre = el("pre", { class: "src" });
    for (const l of te.context || []) {
      pre.append(el("span", { class: l.error ? "err" : "" }, el("i", { text: String(l.line) }), l.text));
    }
    box.append(pre);
    box.append(el("div", { class: "hint", text: "（" + te.message + "）" }));
  } else {
    box.append(el("div", { text: te.message }));
  }
}

function showProblems(res) {
  const box = $("#problems");
  box.textContent = "";
  const list = res.problems || [];
  box.hidden = list.length === 0;
  if (!list.length) return;
  const what = res.status === "invalid-json" ? "数据不是正确的 JSON 格式" : "数据有 " + list.length + " 处问题，请逐条修改";
  box.append(el("h3", { text: what }));
  const ul = el("ul");
  for (const p of list) {
    ul.append(el("li", {}, el("code", { text: p.pointer || "（整个数据）" }), "：" + (RULES[p.rule] || p.rule)));
  }
  box.append(ul);
}

function showMissing(res) {
  const box = $("#missing");
  box.textContent = "";
  const list = res.missing || [];
  box.hidden = list.length === 0;
  if (!list.length) return;
  box.append(el("h3", { text: "模板用到、但数据中没有的字段（共 " + list.length + " 个）" }));
  box.append(el("div", { class: "hint", text: "页面图片上用红色的【缺：字段名】标出了它们的位置；补上数据后就会显示正常内容。" }));
  const ul = el("ul");
  for (const m of list) {
    const where = el("span", { class: "hint" });
    m.pointers.slice(0, 4).forEach((p, i) => where.append(i ? "、" : "", el("code", { text: p })));
    if (m.pointers.length > 4) where.append(" 等 " + m.pointers.length + " 处");
    if (!m.marked) where.append("（这一项无法在页面上标出）");
    ul.append(el("li", {}, el("code", { class: "marker", text: "【缺：" + m.field + "】" }), " ", where));
  }
  box.append(ul);
}

function show(res) {
  cur.lastResult = res;
  $("#empty").hidden = true;
  const st = $("#status");
  st.dataset.version = String(res.version || "");
  st.dataset.state = res.status;
  st.dataset.template = res.template || "";
  const now = new Date().toLocaleTimeString("zh-CN", { hour12: false });
  if (res.status === "ok") {
    st.className = "ok";
    st.textContent = "已更新 " + now + (res.page_count ? "，共 " + res.page_count + " 页" : "");
  } else {
    st.className = "";
    st.textContent = "未能生成 " + now;
  }
  showTemplateError(res.template_error);
  showProblems(res);
  showMissing(res);
  // A failure's own words come from other parts of the program: a Chinese heading, the message as detail.
  const msg = $("#message");
  msg.hidden = !(res.status === "error" || res.status === "not-found");
  msg.textContent = "";
  if (!msg.hidden) {
    msg.append(el("h3", { text: res.heading || (res.status === "not-found" ? "找不到" : "未能生成预览") }));
    msg.append(el("pre", { class: "detail", text: res.message || "" }));
  }

  const dl = $("#download");
  dl.textContent = "";
  if (res.download) {
    dl.append(el("a", { href: res.download, download: res.filename },
      res.output === "xlsx" ? "下载 XLSX 表格（" : "下载 PDF 文件（", el("code", { text: res.filename }), "）"));
  }

  const pages = $("#pages");
  if (res.status === "ok") {
    pages.textContent = "";
    (res.pages || []).forEach((src, i) => {
      const size = (res.page_sizes || [])[i] || {};
      const img = el("img", { src: src, alt: "第 " + (i + 1) + " 页", width: size.width || "", height: size.height || "" });
      pages.append(el("figure", {}, img, el("figcaption", { text: "第 " + (i + 1) + " 页" })));
    });
    if (res.page_count && res.pages && res.page_count > res.pages.length)
      pages.append(el("div", { class: "hint", text: "只显示了前 " + res.pages.length + " 页，完整文件请下载。" }));
  } else {
    pages.textContent = "";
  }

  const tb = $("#table-box"), table = $("#table");
  table.textContent = "";
  tb.hidden = !(res.status === "ok" && res.table);
  if (res.table) {
    res.table.rows.forEach((row, i) => {
      // the sheet's own cells are data; the caption below is the page's
      const tr = el("tr", { class: i === 1 || (i === 0 && res.table.rows.length === 1) ? "head" : "", translate: "no" });
      for (const c of row) tr.append(el("td", { class: c.startsWith("【缺：") ? "marker" : "", text: c }));
      table.append(tr);
    });
    const cap = el("caption", { class: "hint",
      text: "工作表“" + res.table.sheet + "”，共 " + res.table.total_rows + " 行" +
            (res.table.total_rows > res.table.rows.length ? "，这里显示前 " + res.table.rows.length + " 行" : "") });
    table.prepend(cap);
  }
}

async function poll() {
  try {
    const v = await getJSON("/api/version");
    $("#conn").textContent = "";
    if (v.version !== cur.version) {
      await loadState();
      if (cur.template) await refresh();
      else showTemplateError(cur.state.template_error);
    }
  } catch (e) {
    $("#conn").textContent = "与预览服务的连接断开了，正在重试…";
  }
  setTimeout(poll, 300);
}

let typing = null;
$("#editor").addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(refresh, 500);
});
$("#source").addEventListener("change", (e) => chooseSource(e.target.value));

(async () => {
  try { await loadState(); } catch (e) { $("#conn").textContent = "无法连接预览服务"; }
  const want = decodeURIComponent(location.hash.slice(1));
  if (want && cur.state && cur.state.templates.some((t) => t.name === want)) await chooseTemplate(want);
  else if (cur.state && cur.state.template_error) showTemplateError(cur.state.template_error);
  setTimeout(poll, 300);
})();
</script>
</body>
</html>
)HTML";
  return html;
}

}  // namespace zhiping::preview
