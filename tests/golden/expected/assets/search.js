// The search page: answers its own form (?q=…&contributor=…&mood=…&section=…&form=…) with Pagefind.
// Loaded by /search/ only; the pieces' pages carry no script.  The form works as a plain GET
// form too: its address is the search, so a result list can be bookmarked or shared.

const form = document.querySelector(".search-form");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const SHOWN = 20; // results a page shows; "More results" shows the next ones
const FILTERS = ["contributor", "mood", "section", "form"];

let pagefind = null;
let shown = 0;
let found = [];
let asked = 0; // the latest search: an older one that ends later is dropped

async function load() {
  const bundle = form.dataset.bundle;
  pagefind = await import(bundle + "pagefind.js");
  await pagefind.options({ baseUrl: form.dataset.base, excerptLength: 24 });
  // Each piece is indexed in its own language; Pagefind loads the index of the page's
  // language, so the others are merged in.  "./" makes the same folder look like another
  // bundle to Pagefind, which would skip it as its own.
  const entry = await (await fetch(bundle + "pagefind-entry.json")).json();
  const languages = Object.keys(entry.languages);
  const primary = primaryLanguage(entry.languages, document.documentElement.lang.toLowerCase());
  for (const language of languages) {
    if (language !== primary) await pagefind.mergeIndex(bundle + "./", { language });
  }
}

// The index Pagefind itself picks for the page's language (its own rule), so it is not merged twice.
function primaryLanguage(indexes, lang) {
  if (indexes[lang]) return lang;
  if (indexes[lang.split("-")[0]]) return lang.split("-")[0];
  return Object.keys(indexes).sort((a, b) => indexes[b].page_count - indexes[a].page_count)[0];
}

function asking() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return { words: (params.get("q") || "").trim(), filters };
}

function fill(query) {
  form.elements.q.value = query.words;
  for (const name of FILTERS) {
    const select = form.elements[name];
    if (select) select.value = query.filters[name] || "";
  }
}

async function run(query) {
  const ask = ++asked;
  list.replaceChildren();
  if (!query.words && !Object.keys(query.filters).length) {
    status.textContent = "";
    return;
  }
  status.textContent = words.searching;
  if (!pagefind) await load();
  const search = await pagefind.search(query.words || null, { filters: query.filters });
  if (ask !== asked) return;
  found = search.results;
  shown = 0;
  await more();
  if (ask !== asked) return;
  // Said once the first results are on the page: a screen reader hears the count, then reads them.
  status.textContent = found.length === 0 ? words.none : found.length === 1 ? words.one : words.many.replace("%(num)d", found.length);
}

async function more() {
  const ask = asked;
  const next = await Promise.all(found.slice(shown, shown + SHOWN).map((result) => result.data()));
  if (ask !== asked) return;
  document.getElementById("search-more")?.remove();
  for (const data of next) list.append(item(data));
  shown += next.length;
  if (shown < found.length) {
    const button = document.createElement("button");
    button.type = "button";
    button.id = "search-more";
    button.className = "search-more";
    button.textContent = words.more;
    button.addEventListener("click", () => more());
    list.after(button);
  }
}

function item(data) {
  const li = document.createElement("li");
  li.className = "search-result";
  const title = document.createElement("h2");
  title.className = "search-result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  title.append(link);
  li.append(title);
  if (data.meta.author) {
    const byline = document.createElement("p");
    byline.className = "byline";
    byline.textContent = data.meta.author;
    li.append(byline);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.innerHTML = data.excerpt; // Pagefind's excerpt: the piece's own text, escaped, with <mark> around the words found
  li.append(excerpt);
  return li;
}

// The page's words, in its language: written into the page by the layout.
const words = JSON.parse(document.getElementById("search-words").textContent);

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  const wordsAsked = form.elements.q.value.trim();
  if (wordsAsked) params.set("q", wordsAsked);
  for (const name of FILTERS) {
    const select = form.elements[name];
    if (select && select.value) params.set(name, select.value);
  }
  history.pushState(null, "", params.toString() ? "?" + params : location.pathname);
  run(asking());
});
for (const name of FILTERS) {
  form.elements[name]?.addEventListener("change", () => form.requestSubmit());
}
window.addEventListener("popstate", () => {
  fill(asking());
  run(asking());
});

fill(asking());
run(asking()).catch((error) => {
  status.textContent = words.failed;
  console.error(error);
});
