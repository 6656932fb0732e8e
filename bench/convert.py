#!/usr/bin/env python3
"""Turn a folio site written by `folio synth` into the same pages for Hugo or
mdBook, so that bench/run.sh can build one catalogue with three tools.

    bench/convert.py hugo   SITE DEST    # DEST/hugo.toml, layouts/, content/
    bench/convert.py mdbook SITE DEST    # DEST/book.toml, src/SUMMARY.md, src/

Hugo gets each instrument as content/instruments/<id>.md with YAML front
matter and one taxonomy per vocabulary of the classification, so it renders
a page per instrument and a list page per term, as folio does. mdBook gets the
bodies under src/instruments/, one part per type in SUMMARY.md. Links by id
become links each tool resolves. Only the front matter that `folio synth`
writes is understood; this is not a general converter.
"""

import os
import re
import sys

LINK = re.compile(r"\]\(([a-z0-9-]+)(#[^)\s]*)?\)")


def front_matter(text):
    """Split a file into (fields, body); list values become Python lists."""
    _, head, body = text.split("---\n", 2)
    fields = {}
    for line in head.splitlines():
        if line.startswith(" ") or ":" not in line:
            continue  # relation lists and parties: not needed here
        key, value = line.split(":", 1)
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            value = [v.strip() for v in value[1:-1].split(",") if v.strip()]
        elif value.startswith('"') and value.endswith('"'):
            value = value[1:-1]
        fields[key] = value
    return fields, body


def instruments(site):
    """Every instrument file of the site, sorted by path."""
    root = os.path.join(site, "content", "instruments")
    paths = []
    for folder, _, files in os.walk(root):
        paths.extend(os.path.join(folder, f) for f in files if f.endswith(".md"))
    for path in sorted(paths):
        with open(path, encoding="utf-8") as f:
            yield front_matter(f.read())


def type_categories(site):
    """Type key -> category key, read from the site's classification.yaml."""
    with open(os.path.join(site, "content", "classification.yaml"), encoding="utf-8") as f:
        text = f.read()
    types = text.split("\ntypes:", 1)[1].split("\nbodies:", 1)[0]
    entries = re.split(r"\n\s*- ", types)
    pairs = {}
    for entry in entries:
        key = re.search(r"key: ([a-z0-9-]+)", entry)
        category = re.search(r"category: ([a-z0-9-]+)", entry)
        if key and category:
            pairs[key.group(1)] = category.group(1)
    return pairs


def full_date(value):
    """Hugo wants a whole date: a year or a month counts from its first day."""
    parts = value.split("-")
    while len(parts) < 3:
        parts.append("01")
    return "-".join(parts)


def yaml_list(values):
    return "[" + ", ".join('"%s"' % v for v in values) + "]"


HUGO_CONFIG = """baseURL = "https://catalogue.example.org/"
title = "Synthetic catalogue"
languageCode = "en"
enableRobotsTXT = false

[taxonomies]
  category = "categories"
  type = "types"
  body = "bodies"
  subject = "subjects"
  status = "statuses"
  decade = "decades"

[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]

[markup.tableOfContents]
  startLevel = 2
  endLevel = 3
"""

HEAD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header><main>
"""

FOOT = """</main><footer>{{ .Site.Title }}</footer></body></html>
"""

HUGO_SINGLE = HEAD + """<h1>{{ .Title }}</h1>
{{ with .Params.short_title }}<p>{{ . }}</p>{{ end }}
<dl>
{{ range $taxonomy := slice "categories" "types" "bodies" "subjects" "statuses" "decades" }}
<dt>{{ $taxonomy }}</dt>
<dd>{{ range $.GetTerms $taxonomy }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
{{ end }}
<dt>adopted</dt><dd>{{ .Params.adopted }}</dd>
{{ with .Params.in_force }}<dt>in force</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.place }}<dt>place</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.source }}<dt>source</dt><dd><a href="{{ . }}">{{ . }}</a></dd>{{ end }}
</dl>
<nav>{{ .TableOfContents }}</nav>
{{ .Content }}
<p>Cite as: “{{ .Title }}”, {{ .Permalink }}</p>
""" + FOOT

HUGO_LIST = HEAD + """<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul>
""" + FOOT

HUGO_HOME = HEAD + """<h1>{{ .Site.Title }}</h1>
{{ range $name, $taxonomy := .Site.Taxonomies }}
<h2>{{ $name }}</h2>
<ul>{{ range $taxonomy.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""" + FOOT


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def hugo(site, dest):
    categories = type_categories(site)
    write(os.path.join(dest, "hugo.toml"), HUGO_CONFIG)
    write(os.path.join(dest, "layouts", "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(dest, "layouts", "_default", "list.html"), HUGO_LIST)
    write(os.path.join(dest, "layouts", "index.html"), HUGO_HOME)
    write(os.path.join(dest, "content", "instruments", "_index.md"),
          "---\ntitle: All instruments and tools\n---\n")

    for fields, body in instruments(site):
        decade = "%s0s" % fields["adopted"][:3]
        lines = [
            "---",
            'title: "%s"' % fields["title"],
            'slug: "%s"' % fields["id"],
            "date: %s" % full_date(fields["adopted"]),
            'adopted: "%s"' % fields["adopted"],
            "categories: %s" % yaml_list([categories.get(fields["type"], "other")]),
            "types: %s" % yaml_list([fields["type"]]),
            "bodies: %s" % yaml_list([fields["body"]]),
            "subjects: %s" % yaml_list(fields["subjects"]),
            "statuses: %s" % yaml_list([fields["status"]]),
            "decades: %s" % yaml_list([decade]),
        ]
        for key in ("short_title", "place", "in_force", "source"):
            if key in fields:
                lines.append('%s: "%s"' % (key, fields[key]))
        lines.append("---")
        body = LINK.sub(lambda m: "](/instruments/%s/%s)" % (m.group(1), m.group(2) or ""), body)
        path = os.path.join(dest, "content", "instruments", fields["id"] + ".md")
        write(path, "\n".join(lines) + "\n" + body)


BOOK_CONFIG = """[book]
title = "Synthetic catalogue"
language = "en"
src = "src"

[output.html.print]
enable = false

[output.html.search]
enable = true
"""


def mdbook(site, dest):
    write(os.path.join(dest, "book.toml"), BOOK_CONFIG)
    write(os.path.join(dest, "src", "README.md"), "# Synthetic catalogue\n")
    by_type = {}
    for fields, body in instruments(site):
        body = LINK.sub(lambda m: "](%s.md%s)" % (m.group(1), m.group(2) or ""), body)
        meta = "".join(
            "- %s: %s\n" % (key, ", ".join(value) if isinstance(value, list) else value)
            for key, value in fields.items()
            if key not in ("id", "title")
        )
        text = "# %s\n\n%s\n%s" % (fields["title"], meta, body)
        write(os.path.join(dest, "src", "instruments", fields["id"] + ".md"), text)
        by_type.setdefault(fields["type"], []).append((fields["title"], fields["id"]))

    summary = ["# Summary", "", "[Introduction](README.md)", ""]
    for kind in sorted(by_type):
        summary.append("# %s" % kind)
        summary.append("")
        for title, ident in by_type[kind]:
            summary.append("- [%s](instruments/%s.md)" % (title, ident))
        summary.append("")
    write(os.path.join(dest, "src", "SUMMARY.md"), "\n".join(summary))


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("hugo", "mdbook"):
        sys.exit(__doc__)
    {"hugo": hugo, "mdbook": mdbook}[sys.argv[1]](sys.argv[2], sys.argv[3])
