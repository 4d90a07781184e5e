"""Reading documents for a batch: paths, folders, globs and stdin in; decoded texts or errors out.

A batch over thousands of files must not stop at one bad file, so reading never raises: each
input becomes a `Source` holding either the text to extract from or the reason it has none.
HTML files are reduced to their visible text; evidence offsets then refer to that text, which
the command line keeps with the record.
"""
from __future__ import annotations

import fnmatch
import glob
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

DEFAULT_MAX_BYTES = 5_000_000
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
STDIN = "-"

# Tags whose content a reader never sees.
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
# Tags that start a new line in a browser; inline tags (<b>, <a>, <span>) must not split a sentence.
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "th", "thead", "title", "tr", "ul",
)
_PRE_TAGS = ("pre", "textarea")
_SPACES = re.compile(r"[ \t\f\v\r\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ANY_SPACE = re.compile(r"\s+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)
# C0 controls other than tab, newline, carriage return and form feed: rare in real text.
_CONTROL_BYTES = bytes(sorted(set(range(0, 32)) - {9, 10, 12, 13}))
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Source:
    """One input: its id and path, and either its text or the error that left it without one."""

    doc_id: str
    path: str
    text: str | None = None
    error: str | None = None
    from_html: bool = False
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def sha256(self) -> str | None:
        """The hash the record will carry, so a resumed run can skip before extracting."""
        if self.text is None:
            return None
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Every input named: files as given, folders walked, globs expanded, `-` kept.

    A folder gives its `*.txt`, `*.html` and `*.htm` files at any depth, sorted so that two runs
    see the same order. Symbolic links to folders are followed once: a link back to a folder
    already walked (a loop) is not entered again, so "loop/**/*.txt" over five files gives five
    inputs. A name that is neither an existing path nor a matching glob is yielded as is, so
    that reading it reports the error in the batch.
    Example: ["notes/", "extra/*.txt", "-"] -> every document under notes/, the .txt files in
    extra/, then standard input.
    """
    for raw in paths:
        if raw == STDIN:
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            yield from (str(p) for p in _walk(path))
        elif path.exists() or not glob.has_magic(raw):
            yield raw
        else:
            matches = _glob(raw)
            if not matches:
                yield raw
            for match in matches:
                found = Path(match)
                if found.is_dir():
                    yield from (str(p) for p in _walk(found))
                else:
                    yield match


def _walk(folder: Path) -> list[Path]:
    suffixes = TEXT_SUFFIXES + HTML_SUFFIXES
    return sorted(p for p in walk_files(folder) if p.suffix.lower() in suffixes)


def walk_files(folder: Path) -> Iterator[Path]:
    """Every file under a folder, each folder entered once even when links make a loop.

    Links to folders are followed (a linked archive is part of the tree), but a folder reached
    again, by its device and inode, is skipped: `os.walk(followlinks=True)` alone would go
    round a `loop -> .` link until paths grow too long.
    """
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        try:
            info = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs.sort()
        for name in sorted(files):
            file = Path(root, name)
            if file.is_file():
                yield file


def _glob(pattern: str) -> list[str]:
    """Paths matching a glob, sorted; a recursive "**" walks the tree once (see `walk_files`).

    Python's glob follows every link under "**", and a link loop multiplies the matches (and the
    time) by the depth it reaches before paths grow too long.
    """
    if "**" not in pattern:
        return sorted(glob.glob(pattern))
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts))
    base = Path(*parts[:fixed]) if fixed else Path(".")
    found: list[str] = []
    for file in walk_files(base):
        relative = file.relative_to(base)
        if glob_matches(relative.parts, parts[fixed:]):
            found.append(str(base / relative) if fixed else str(relative))
    return sorted(found)


def glob_matches(names: tuple[str, ...], parts: tuple[str, ...]) -> bool:
    """Whether path components match glob components: "**" any number of folders, others one name.

    Example: ("a", "b", "x.txt") matches ("**", "*.txt") and ("a", "**", "x.txt"), not ("*.txt",).
    A table over (component, pattern part) keeps it linear in their product, not exponential.
    """
    n, m = len(names), len(parts)
    ok = [[False] * (m + 1) for _ in range(n + 1)]
    ok[n][m] = True
    for i in range(n, -1, -1):
        for j in range(m - 1, -1, -1):
            if parts[j] == "**":
                ok[i][j] = ok[i][j + 1] or (i < n and ok[i + 1][j])
            else:
                ok[i][j] = i < n and fnmatch.fnmatchcase(names[i], parts[j]) and ok[i + 1][j + 1]
    return ok[0][0]


def printable_path(path: str) -> str:
    """A path as text any output can hold: bytes that are not UTF-8 written as escapes.

    Example: the name b"zz-bad\\xff\\xfe.txt" (decoded by the OS with surrogates) becomes
    "zz-bad\\\\xff\\\\xfe.txt", which JSON, CSV, SQLite and HTML take, and which no other name spells.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


def doc_id_for(path: str) -> str:
    """The record's id: the file's stem, as the contract says ("corpus/acme.txt" -> "acme")."""
    return "stdin" if path == STDIN else Path(path).stem


def is_html_name(path: str) -> bool:
    """Whether the file's name says it is a web page."""
    return Path(path).suffix.lower() in HTML_SUFFIXES


def looks_like_html(text: str) -> bool:
    """Whether a text of unknown origin (stdin) is a web page: it opens with <!doctype html> or <html>."""
    return bool(_HTML_START.match(text[:2048]))


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text at all: a NUL byte, or many control bytes, near the start.

    Example: a PNG header ("\\x89PNG\\r\\n\\x1a\\n\\x00...") is binary; a Latin-1 letter is not.
    UTF-16 text also holds NUL bytes; it is recognised by its byte-order mark first.
    """
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not per byte
    return controls > max(2, len(head) // 100)


def decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, encoding) of bytes, or (None, None) when no text encoding fits.

    UTF-8 is tried first because nearly every file is UTF-8 and detection on short texts can
    guess wrong; the rest goes to charset-normalizer. Example: b"Soci\\xe9t\\xe9" (Latin-1)
    decodes to "Société".
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None, None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    western = _decode_western(data)
    if best is None:
        return western, "cp1252" if western is not None else None
    guessed = str(best)
    if len(guessed) < len(data):  # a multi-byte encoding (GBK, Shift-JIS, ...): trust detection
        return guessed, best.encoding
    # On short texts detection often picks a wrong single-byte code page (Latin-1 "é" read as
    # cp775 "ķ"); English press releases are overwhelmingly Western, so cp1252 wins ties.
    if western is not None and letter_share(western) >= letter_share(guessed):
        return western, "cp1252"
    return guessed, best.encoding


def _decode_western(data: bytes) -> str | None:
    for encoding in ("cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


_TYPOGRAPHY = frozenset("\u201c\u201d\u2018\u2019\u2013\u2014\u20ac\u00a3\u00a5\u00b0\u00b1\u00d7\u00b7\u2022\u2026\u00ae\u00a9\u2122\u00a7\u00a0\u00b2\u00b3\u00bd\u00bc\u00be")


def letter_share(text: str) -> float:
    """The share of non-ASCII characters that are letters or common typography.

    A right decoding of Western text gives letters ("Société"); a wrong code page gives
    symbols and stray marks ("Sociķtķ Ó Z³rich" scores lower). Pure ASCII scores 1.0.
    """
    foreign = [ch for ch in text if ord(ch) > 127]
    if not foreign:
        return 1.0
    good = sum(1 for ch in foreign if ch.isalpha() or ch in _TYPOGRAPHY)
    return good / len(foreign)


def html_to_text(markup: str) -> str:
    """The visible text of a web page, with block elements on their own lines.

    Inline markup does not break a sentence ("built <b>a plant</b> in" stays one line), and
    entities are decoded ("&amp;" -> "&"). The page is parsed by libxml2 (lxml) and walked once,
    element by element, so the cost is linear in the page's size whatever its shape (100,000
    nested or flat elements included; BeautifulSoup's tree edits took minutes there). libxml2
    stops nesting at its depth limit: deeper markup is not read as elements.
    """
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", recover=True, huge_tree=True, remove_comments=True,
                                  remove_pis=True, no_network=True)
    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError):  # nothing an HTML parser can make a document of
        return ""
    pieces: list[str] = []
    in_pre = 0
    head_title = ""
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _INVISIBLE_TAGS:
                if tag == "head" and not head_title:
                    title = element.find(".//title")
                    head_title = _ANY_SPACE.sub(" ", title.text_content()).strip() if title is not None else ""
                walker.skip_subtree()
                continue
            if tag in _PRE_TAGS:
                in_pre += 1
            if tag == "br":
                pieces.append("\n")
            elif tag in _BLOCK_TAGS:
                pieces.append("\n\n")
            if element.text and tag:
                pieces.append(element.text if in_pre else _ANY_SPACE.sub(" ", element.text))
        else:
            if tag in _BLOCK_TAGS:
                pieces.append("\n\n")
            if tag in _PRE_TAGS:
                in_pre -= 1
            if element.tail:  # the text after an element is its parent's, visible ones' included
                pieces.append(element.tail if in_pre else _ANY_SPACE.sub(" ", element.tail))
    text = normalize_whitespace("".join(pieces))
    if not text and head_title:
        return head_title
    return text


def normalize_whitespace(text: str) -> str:
    """Lines with single spaces, at most one blank line between paragraphs, no outer blank lines."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def read_source(path: str, max_bytes: int = DEFAULT_MAX_BYTES, stdin: BinaryIO | None = None) -> Source:
    """The document at `path` (or standard input for "-"), never raising.

    Errors a batch reports instead of stopping: missing or unreadable files, files over
    `max_bytes`, empty files, binary files, bytes no text encoding fits.
    """
    shown = printable_path(path)
    doc_id = doc_id_for(shown)
    data, error = _read_bytes(path, max_bytes, stdin)
    if error is not None:
        return Source(doc_id, shown, error=error)
    return source_from_bytes(doc_id, shown, data, html=is_html_name(path))


def source_from_bytes(doc_id: str, path: str, data: bytes, html: bool = False) -> Source:
    """A Source from raw bytes: decoded, checked, and reduced to text if it is a web page."""
    if not data.strip():
        return Source(doc_id, path, error="empty file")
    if looks_binary(data):
        return Source(doc_id, path, error="binary file (not text)")
    text, encoding = decode(data)
    if text is None:
        return Source(doc_id, path, error="unknown text encoding")
    html = html or (path == STDIN and looks_like_html(text))
    if html:
        try:
            text = html_to_text(text)
        except Exception as exc:  # a parser bug must not stop the batch
            return Source(doc_id, path, error=f"cannot parse HTML: {type(exc).__name__}: {exc}")
        if not text.strip():
            return Source(doc_id, path, error="web page holds no text")
    return Source(doc_id, path, text=text, from_html=html, encoding=encoding)


def _read_bytes(path: str, max_bytes: int, stdin: BinaryIO | None) -> tuple[bytes, str | None]:
    too_big = f"over the size limit of {max_bytes} bytes (--max-bytes)"
    try:
        if path == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            return (b"", too_big) if len(data) > max_bytes else (data, None)
        file = Path(path)
        if not file.exists():
            return b"", "no such file"
        if not file.is_file():
            return b"", "not a regular file"
        size = file.stat().st_size
        if size > max_bytes:
            return b"", f"{size} bytes, {too_big}"
        with file.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
        return (b"", too_big) if len(data) > max_bytes else (data, None)
    except OSError as exc:
        return b"", f"cannot read: {exc.strerror or exc}"

