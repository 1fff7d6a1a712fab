#!/bin/sh
# tools/book.sh OUT - make docs: the book in docs/ as HTML in OUT/ (index.html
# is docs/README.md), with the annotated source beside it in OUT/src/ (GNU
# Global's htags: every file browsable, every name a link to its
# definition). pandoc renders each chapter through tools/book.lua, which
# links each `name()` to its definition and each `path` to its file. The
# renderers are the distribution's (tools/deps.sh --book installs them);
# tools/check-book.py checks the result. Run from the top of the tree.
set -eu
out=${1:?usage: tools/book.sh OUT}
for tool in pandoc gtags htags; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "book: $tool is missing: tools/deps.sh --book installs pandoc and global" >&2
		exit 1
	}
done
rm -rf "$out"
mkdir -p "$out/tags"
# The source the book walks: what tools/check-docs.sh searches too.
find kernel lib user test/guest test/proc test/unit tools -name '*.[chS]' | LC_ALL=C sort > "$out/tags/files"
gtags -f "$out/tags/files" "$out/tags"
htags -d "$out/tags" -n --map-file -t "Mica source" "$out/tags" >/dev/null
mv "$out/tags/HTML" "$out/src"
printf '<nav><a href="index.html">The Mica book</a> &middot; <a href="overview.html">Overview</a> &middot; <a href="src/index.html">Source</a></nav>\n' \
	> "$out/tags/nav.html"
n=0
for md in docs/*.md; do
	page=$(basename "$md" .md)
	[ "$page" = README ] && page=index
	MICA_BOOK_MAP="$out/src/MAP" MICA_BOOK_FILEMAP="$out/src/FILEMAP" MICA_BOOK_ROOT=. \
		pandoc -f gfm -t html5 -s --lua-filter tools/book.lua \
		--include-before-body "$out/tags/nav.html" -o "$out/$page.html" "$md"
	n=$((n + 1))
done
rm -rf "$out/tags"
echo "book: wrote $out/index.html ($n pages) and $out/src/ ($(wc -l < "$out/src/FILEMAP") source files)"
