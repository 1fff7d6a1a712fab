#!/usr/bin/env python3
"""check-book.py - the docs test of make check: the rendered book
(tools/book.sh) has no link that leads nowhere and names nothing that is
not there.

    check-book.py BOOK_DIR [--results FILE]
    check-book.py --selftest

Every page under BOOK_DIR (the chapters and the htags source browser) is
read; each relative href or src must reach a file there, and an #anchor on
a chapter page must be an id of the page it points at. Every element
tools/book.lua marked class="unresolved" (a `name()` with no definition, a
`path` the repository lacks) is an error. Prints each problem and one
line `book: N pages, M links checked, K problems`; --results gets one
check per chapter and one for the source browser ("passed=N failed=M").
Exit 1 on any problem. Python 3.7+, standard library only.
"""

import argparse
import html.parser
import os
import sys
import tempfile
import urllib.parse


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.links = []             # (href, line)
        self.unresolved = []        # (text, line)
        self._in_unresolved = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key):
                self.links.append((a[key], self.getpos()[0]))
        if "unresolved" in (a.get("class") or "").split():
            self._in_unresolved = [self.getpos()[0], ""]

    def handle_data(self, data):
        if self._in_unresolved is not None:
            self._in_unresolved[1] += data

    def handle_endtag(self, tag):
        if self._in_unresolved is not None:
            self.unresolved.append((self._in_unresolved[1], self._in_unresolved[0]))
            self._in_unresolved = None


def read_page(path):
    p = Page()
    with open(path, encoding="utf-8", errors="replace") as f:
        p.feed(f.read())
    p.close()
    return p


def check(book):
    """Returns (problems by group, pages, links): a group is a chapter's
    file name or "src" for the source browser."""
    pages = {}
    for top, _, names in os.walk(book):
        for n in names:
            if n.endswith(".html"):
                path = os.path.join(top, n)
                pages[os.path.relpath(path, book)] = read_page(path)
    problems = {rel: [] for rel in pages if "/" not in rel}
    problems["src"] = []
    links = 0
    for rel, page in sorted(pages.items()):
        group = rel if "/" not in rel else "src"
        for text, line in page.unresolved:
            problems[group].append("%s:%d: %s names nothing in the repository (no definition "
                                   "or no such file)" % (rel, line, text))
        for href, line in page.links:
            url = urllib.parse.urlsplit(href)
            if url.scheme or url.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            links += 1
            target = os.path.normpath(os.path.join(os.path.dirname(rel), urllib.parse.unquote(
                url.path))) if url.path else rel
            if target.startswith(".."):
                problems[group].append("%s:%d: %s leaves the book" % (rel, line, href))
                continue
            if not os.path.exists(os.path.join(book, target)):
                problems[group].append("%s:%d: %s leads nowhere (no %s)" % (rel, line, href, target))
                continue
            # Anchors are checked on chapter pages; htags' own are its business.
            if url.fragment and group != "src" and target in pages and \
                    url.fragment not in pages[target].ids:
                problems[group].append("%s:%d: %s: %s has no #%s"
                                       % (rel, line, href, target, url.fragment))
    return problems, len(pages), links


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("book", nargs="?")
    ap.add_argument("--results")
    ap.add_argument("--selftest", action="store_true")
    opts = ap.parse_args(argv)
    if opts.selftest:
        return selftest()
    if not opts.book or not os.path.isfile(os.path.join(opts.book, "index.html")):
        print("book: no %s/index.html: run make docs first" % opts.book)
        failed = 1
        problems, npages, links = {}, 0, 0
    else:
        problems, npages, links = check(opts.book)
        failed = sum(1 for p in problems.values() if p)
        for group in sorted(problems):
            for p in problems[group]:
                print("book: " + p)
        print("book: %d pages, %d links checked, %d problems"
              % (npages, links, sum(len(p) for p in problems.values())))
    if opts.results:
        with open(opts.results, "w") as f:
            f.write("passed=%d failed=%d\n" % (len(problems) - failed, failed))
    return 1 if failed else 0


def selftest():
    """The checker finds what it must: a broken link, a missing anchor, an
    unresolved name; and passes a clean book."""
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "src", "S"))

        def write(rel, text):
            with open(os.path.join(d, rel), "w") as f:
                f.write(text)
        write("src/S/1.html", '<a id="L3" href="../../index.html">up</a>')
        write("index.html", '<h1 id="top">Book</h1><a href="a.html#x">a</a> '
                            '<a href="src/S/1.html#L3"><code>kmain()</code></a>')
        write("a.html", '<h2 id="x">x</h2><a href="index.html#top">back</a>')
        clean = check(d)[0]
        write("a.html", '<h2 id="x">x</h2><a href="index.html#gone">back</a> '
                        '<a href="b.html">b</a> <code class="unresolved">nope()</code>')
        dirty = check(d)[0]
    found = " ".join(dirty["a.html"])
    ok = not any(clean.values()) and "has no #gone" in found and \
        "b.html leads nowhere" in found and "nope() names nothing" in found
    print("book: selftest %s" % ("passed" if ok else "FAILED: %r %r" % (clean, dirty)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
