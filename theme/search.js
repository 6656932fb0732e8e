// The search page, enhanced: results as you type and filters by facet,
// from the search API of `folio serve`. On a static host without that API
// it filters catalogue.json by title and classification instead, and says
// so. Without this script the form is a plain GET that `folio serve`
// answers with the results written in.
(function () {
  "use strict";

  const results = document.getElementById("results");
  const form = document.querySelector("form.search-form");
  const input = document.getElementById("q");
  if (!results || !form || !input) return;

  // Interface strings, the page's language and its way back to the root.
  const text = results.dataset;
  const root = text.root || "";
  const FACETS = ["type", "subject", "status", "decade"];
  const PER_PAGE = 20;
  const chosen = Object.fromEntries(FACETS.map((name) => [name, new Set()]));
  const typeLabels = new Map();
  const plurals = new Intl.PluralRules(text.lang || "en");

  const facetBox = document.createElement("form");
  facetBox.className = "search-facets";
  facetBox.setAttribute("aria-label", text.filters || "Filters");
  results.before(facetBox);

  let useApi = true;
  let catalogue = null;
  let page = 1;
  let timer = 0;
  let latest = 0;
  // Whether the last word was still being typed; filters and pages keep it.
  let typing = false;

  // --- asking ---------------------------------------------------------

  function search(prefix) {
    typing = prefix;
    const q = input.value.trim();
    const asked = ++latest;
    history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
    if (!q) {
      results.replaceChildren();
      facetBox.replaceChildren();
      return;
    }
    const answer = useApi ? fromApi(q, prefix) : fromCatalogue(q);
    answer
      .catch(() => {
        useApi = false;
        return fromCatalogue(q);
      })
      .then((found) => {
        if (asked === latest) show(found);
      })
      .catch(() => {});
  }

  function fromApi(q, prefix) {
    const params = new URLSearchParams({ q: q, page: page, per_page: PER_PAGE });
    if (text.lang) params.set("lang", text.lang);
    if (prefix) params.set("prefix", "1");
    for (const name of FACETS) {
      for (const value of chosen[name]) params.append(name, value);
    }
    return fetch(root + "api/search?" + params).then((response) => {
      const type = response.headers.get("content-type") || "";
      if (!response.ok || !type.includes("json")) throw new Error("no search API here");
      return response.json();
    });
  }

  // The fallback: every word must appear in an entry's titles, id or
  // classification keys.
  function fromCatalogue(q) {
    const load = catalogue
      ? Promise.resolve(catalogue)
      : fetch(root + "catalogue.json").then((response) => response.json());
    return load.then((data) => {
      catalogue = data;
      const words = fold(q).split(/\s+/).filter(Boolean);
      const matches = data.instruments.filter((entry) => {
        const haystack = fold([
          entry.title, entry.short_title, entry.id, entry.type, entry.category,
          entry.body, entry.status, entry.year, (entry.subjects || []).join(" "),
        ].join(" "));
        return words.every((word) => haystack.includes(word)) && passesFilters(entry);
      });
      const start = (page - 1) * PER_PAGE;
      return {
        offline: true,
        total: matches.length,
        page: page,
        per_page: PER_PAGE,
        hits: matches.slice(start, start + PER_PAGE).map((entry) => ({
          title: entry.title,
          url: (text.home || "") + "instruments/" + entry.id + "/",
          type: entry.type,
          type_label: "",
          year: entry.year,
          snippet: "",
        })),
        facets: countFacets(matches),
      };
    });
  }

  function valuesOf(entry, name) {
    if (name === "type") return [entry.type];
    if (name === "subject") return entry.subjects || [];
    if (name === "status") return [entry.status];
    return entry.year ? [Math.floor(entry.year / 10) * 10 + "s"] : [];
  }

  function passesFilters(entry) {
    return FACETS.every((name) => {
      if (chosen[name].size === 0) return true;
      return valuesOf(entry, name).some((value) => chosen[name].has(value));
    });
  }

  function countFacets(entries) {
    const facets = {};
    for (const name of FACETS) {
      const counts = new Map();
      for (const entry of entries) {
        for (const value of valuesOf(entry, name)) counts.set(value, (counts.get(value) || 0) + 1);
      }
      facets[name] = [...counts].map(([value, count]) => ({ value: value, count: count }));
      facets[name].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    }
    return facets;
  }

  // --- showing --------------------------------------------------------

  function show(found) {
    const parts = [];
    if (found.offline) parts.push(paragraph("results-offline", text.offline));
    parts.push(paragraph("results-count", countLine(found.total)));
    if (found.relaxed) parts.push(paragraph("results-relaxed", text.relaxed));
    if (found.hits.length) {
      const list = document.createElement("ol");
      list.className = "results-list";
      list.start = (found.page - 1) * found.per_page + 1;
      for (const hit of found.hits) list.append(item(hit));
      parts.push(list);
      parts.push(pageLinks(found));
    }
    results.replaceChildren(...parts);
    showFacets(found.facets || {});
  }

  function item(hit) {
    if (hit.type_label) typeLabels.set(hit.type, hit.type_label);
    const li = document.createElement("li");
    li.className = "result";
    const link = document.createElement("a");
    link.className = "result-title";
    link.href = root + hit.url;
    link.textContent = hit.title;
    const meta = document.createElement("span");
    meta.className = "result-meta";
    meta.textContent = (hit.type_label || hit.type) + (hit.year ? " · " + hit.year : "");
    li.append(link, " ", meta);
    if (hit.snippet) li.append(snippet(hit.snippet));
    return li;
  }

  // The API's snippet is escaped HTML with the matches in <mark>; keep
  // only its text and the marks. A template's content is inert.
  function snippet(html) {
    const p = document.createElement("p");
    p.className = "result-snippet";
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const node of template.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.append(mark);
      } else {
        p.append(node.textContent);
      }
    }
    return p;
  }

  function pageLinks(found) {
    const nav = document.createElement("nav");
    nav.className = "results-pages";
    const last = Math.max(1, Math.ceil(found.total / found.per_page));
    if (page > 1) nav.append(pageButton(text.previous, page - 1));
    if (page < last) nav.append(pageButton(text.next, page + 1));
    return nav;
  }

  function pageButton(label, to) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.addEventListener("click", () => {
      page = to;
      search(typing);
      results.scrollIntoView();
    });
    return button;
  }

  function showFacets(facets) {
    const groups = [];
    for (const name of FACETS) {
      const counts = new Map((facets[name] || []).map((f) => [f.value, f.count]));
      for (const value of chosen[name]) if (!counts.has(value)) counts.set(value, 0);
      if (counts.size === 0) continue;
      const group = document.createElement("fieldset");
      const legend = document.createElement("legend");
      legend.textContent = text["facet" + name[0].toUpperCase() + name.slice(1)] || name;
      group.append(legend);
      for (const [value, count] of counts) group.append(checkbox(name, value, count));
      groups.push(group);
    }
    facetBox.replaceChildren(...groups);
  }

  function checkbox(name, value, count) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.name = name;
    box.value = value;
    box.checked = chosen[name].has(value);
    box.addEventListener("change", () => {
      if (box.checked) chosen[name].add(value);
      else chosen[name].delete(value);
      page = 1;
      search(typing);
    });
    const shown = (name === "type" && typeLabels.get(value)) || humanise(value);
    label.append(box, " " + shown + " (" + count + ")");
    return label;
  }

  // --- words ----------------------------------------------------------

  function countLine(total) {
    if (total === 0) return text.none;
    const form = plurals.select(total);
    const template = text[form] || text.many || "{count}";
    return template.replace("{count}", total);
  }

  function paragraph(className, content) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = content || "";
    return p;
  }

  function humanise(key) {
    const words = String(key).replace(/-/g, " ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function fold(value) {
    return String(value == null ? "" : value)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  // --- wiring ---------------------------------------------------------

  input.addEventListener("input", () => {
    clearTimeout(timer);
    page = 1;
    timer = setTimeout(() => search(true), 200);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    page = 1;
    search(false);
  });
  facetBox.addEventListener("submit", (event) => event.preventDefault());

  // A query in the address: from a submitted form, or a shared link on a
  // static host that ignored it.
  const asked = new URLSearchParams(location.search).get("q");
  if (asked && !input.value) input.value = asked;
  if (input.value.trim()) search(false);
})();
