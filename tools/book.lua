-- tools/book.lua - the pandoc filter of make docs (tools/book.sh): it turns
-- the book's Markdown references into links of the rendered book.
--   `name()`          a link to the function's definition in the source
--                     browser (htags' MAP file); no definition: class unresolved
--   `kernel/ipc.c`    a link to that file's page (htags' FILEMAP); a path the
--                     repository does not have: class unresolved (a bare
--                     file name may be a QEMU case's or an xv6 header's)
--   [text](x.md)      x.html (README.md is index.html)
-- tools/check-book.py fails the docs test on every class="unresolved" and
-- every link that leads nowhere. Reads MICA_BOOK_MAP, MICA_BOOK_FILEMAP
-- (htags' files) and MICA_BOOK_ROOT (the repository) from the environment.

local function read_pairs(path)
  local t = {}
  for line in io.lines(path) do
    local k, v = line:match("^(%S+)\t(%S+)$")
    if k then t[k] = v end
  end
  return t
end

local defs = read_pairs(os.getenv("MICA_BOOK_MAP"))
local files = read_pairs(os.getenv("MICA_BOOK_FILEMAP"))
local root = os.getenv("MICA_BOOK_ROOT")

-- A source file's base name, if only one file has it ("ipc.c").
local by_base = {}
for path, page in pairs(files) do
  local base = path:match("([^/]+)$")
  if by_base[base] == nil then by_base[base] = page else by_base[base] = false end
end

local function exists(rel)
  local f = io.open(root .. "/" .. rel, "r")
  if f then f:close() return true end
  return false
end

local function unresolved(el)
  el.classes:insert("unresolved")
  return el
end

-- Things in backticks that name a file: a path, or a name with an extension.
local EXTENSIONS = { c = 1, h = 1, S = 1, md = 1, py = 1, mk = 1, ld = 1, sh = 1,
                     json = 1, test = 1, awk = 1, lua = 1 }

local function file_like(t)
  if t:find("[^%w_./-]") or t:find("^[.-]") or t:find("^build/") then return false end
  local ext = t:match("%.(%w+)$")
  return (t:find("/") and not t:find("^/")) or (ext and EXTENSIONS[ext])
end

function Code(el)
  local t = el.text
  local name = t:match("^([%a_][%w_]*)%(%)$")
  if name then
    if defs[name] then return pandoc.Link(el, "src/" .. defs[name]) end
    return unresolved(el)
  end
  if not file_like(t) then return nil end
  local path = t:gsub("/$", "")
  if files[path] then return pandoc.Link(el, "src/" .. files[path]) end
  if exists(path) then return nil end
  if by_base[path] then return pandoc.Link(el, "src/" .. by_base[path]) end
  if by_base[path] == false then return nil end     -- several files have that name
  if exists("docs/" .. path) then
    return pandoc.Link(el, (path:gsub("^README%.md$", "index.md"):gsub("%.md$", ".html")))
  end
  -- A host program by its name (`tools/mkfs`): its source file's page.
  if files[path .. ".c"] then return pandoc.Link(el, "src/" .. files[path .. ".c"]) end
  -- QEMU cases go by their file name; xv6's headers by the name programs include.
  if exists("test/qemu/cases/" .. path) or exists("user/include/" .. path) then return nil end
  return unresolved(el)
end

function Link(el)
  local t = el.target
  if t:match("^%a[%w+.-]*:") or t:match("^#") then return nil end
  local path, anchor = t:match("^([^#]*)(.*)$")
  if path:match("^[^/]*%.md$") then
    path = path:gsub("^README%.md$", "index.md"):gsub("%.md$", ".html")
  end
  el.target = path .. anchor
  return el
end

-- The page title is the first heading.
function Pandoc(doc)
  if not doc.meta.pagetitle then
    for _, b in ipairs(doc.blocks) do
      if b.t == "Header" then
        doc.meta.pagetitle = pandoc.utils.stringify(b)
        break
      end
    end
  end
  return doc
end
