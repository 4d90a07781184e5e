"""Reading inputs: which files a batch sees, how bytes become text, which inputs are errors."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from extractor.batch.inputs import (
    Source,
    decode,
    doc_id_for,
    expand_paths,
    html_to_text,
    letter_share,
    looks_binary,
    looks_like_html,
    normalize_whitespace,
    read_source,
    source_from_bytes,
)

PLANT = "Northwind Cells will open a 12 GWh cell plant near Lyon in 2027."


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# --- which files ----------------------------------------------------------------------------


def test_folder_gives_text_and_web_pages_at_any_depth_sorted(tmp_path):
    write(tmp_path, "b.txt", PLANT)
    write(tmp_path, "a/deep/c.HTM", "<p>x</p>")
    write(tmp_path, "a/page.html", "<p>x</p>")
    write(tmp_path, "notes.md", "not a document")
    write(tmp_path, "gold.json", "{}")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in expand_paths([str(tmp_path)])]
    assert found == ["a/deep/c.HTM", "a/page.html", "b.txt"]


def test_globs_files_stdin_and_missing_names(tmp_path):
    write(tmp_path, "one.txt", PLANT)
    write(tmp_path, "two.txt", PLANT)
    write(tmp_path, "three.md", PLANT)
    explicit = str(tmp_path / "three.md")  # a file named explicitly is read whatever its suffix
    missing = str(tmp_path / "nowhere.txt")
    found = list(expand_paths([str(tmp_path / "*.txt"), explicit, "-", missing]))
    assert [Path(p).name for p in found[:2]] == ["one.txt", "two.txt"]
    assert found[2:] == [explicit, "-", missing]


def test_glob_matching_nothing_is_kept_for_an_error(tmp_path):
    pattern = str(tmp_path / "*.txt")
    assert list(expand_paths([pattern])) == [pattern]
    assert read_source(pattern).error == "no such file"


def test_doc_id_is_the_stem():
    assert doc_id_for("some/dir/acme-plant.txt") == "acme-plant"
    assert doc_id_for("x.tar.html") == "x.tar"
    assert doc_id_for("-") == "stdin"


# --- bytes to text --------------------------------------------------------------------------


def test_utf8_with_and_without_bom():
    assert decode("Zürich".encode("utf-8")) == ("Zürich", "utf-8")
    assert decode(b"\xef\xbb\xbfZ\xc3\xbcrich") == ("Zürich", "utf-8")


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_western_single_byte_text_is_read_right(encoding):
    text = "Société Lumière will build a café-sized plant in Besançon, près de Zürich."
    decoded, _ = decode(text.encode(encoding))
    assert decoded == text


def test_windows_quotes_and_euro_sign():
    text = "The \u201cBlue\u201d plant \u2013 a \u20ac40 million project."
    assert decode(text.encode("cp1252"))[0] == text


def test_utf16_with_bom_is_text_not_binary(tmp_path):
    path = write(tmp_path, "wide.txt", PLANT.encode("utf-16"))
    source = read_source(str(path))
    assert source.ok and source.text == PLANT and source.encoding == "utf-16"


def test_multibyte_chinese_is_left_to_detection():
    text = "宁德新能源公司在江西建设电池生产基地，总投资一百亿元，预计明年投产。" * 3
    assert decode(text.encode("gb18030"))[0] == text


def test_letter_share_prefers_letters_over_symbols():
    assert letter_share("plain ascii") == 1.0
    assert letter_share("Société") == 1.0
    assert letter_share("Soci¶t¶ ¦ Z¤rich") == 0.0
    assert 0.0 < letter_share("Sociķtķ ¦ Zürich") < 1.0


def test_binary_detection():
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(bytes(range(1, 9)) * 50)  # control bytes, no NUL
    assert not looks_binary("Société, 5 GWh\n\tindented".encode("latin-1"))
    assert not looks_binary(PLANT.encode("utf-16"))


# --- errors ---------------------------------------------------------------------------------


def test_bad_inputs_become_errors_not_exceptions(tmp_path):
    cases = {
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t ",
        "image.txt": b"GIF89a\x01\x00\x01\x00\x00\xff\x00,",
        "big.txt": b"word " * 400,
    }
    for name, data in cases.items():
        write(tmp_path, name, data)
    errors = {name: read_source(str(tmp_path / name), max_bytes=1000).error for name in cases}
    assert errors["empty.txt"] == errors["blank.txt"] == "empty file"
    assert "binary" in errors["image.txt"]
    assert "2000 bytes" in errors["big.txt"] and "--max-bytes" in errors["big.txt"]
    assert read_source(str(tmp_path)).error == "not a regular file"
    assert read_source(str(tmp_path / "absent.txt")).error == "no such file"


def test_a_good_file_keeps_its_id_path_and_text(tmp_path):
    path = write(tmp_path, "northwind.txt", PLANT + "\n")
    source = read_source(str(path))
    assert source == Source("northwind", str(path), text=PLANT + "\n", encoding="utf-8")
    assert source.ok and len(source.sha256 or "") == 64


def test_stdin_is_read_and_limited():
    assert read_source("-", stdin=io.BytesIO(PLANT.encode())).text == PLANT
    assert read_source("-", max_bytes=10, stdin=io.BytesIO(PLANT.encode())).error.startswith("over the size limit")
    assert read_source("-", stdin=io.BytesIO(b"")).error == "empty file"


# --- web pages ------------------------------------------------------------------------------


def test_html_keeps_sentences_whole_and_blocks_apart():
    page = (
        "<html><head><title>Site name</title><style>p{color:red}</style></head><body>"
        "<h1>Harbor Steel &amp; Wire</h1>"
        "<p>Harbor Steel will <b>double</b> its <a href='#'>mill</a> in Ohio.<br>It adds 300 jobs.</p>"
        "<script>var hidden = 1;</script><ul><li>first</li><li>second</li></ul></body></html>"
    )
    text = html_to_text(page)
    assert text.splitlines() == [
        "Harbor Steel & Wire", "", "Harbor Steel will double its mill in Ohio.", "It adds 300 jobs.",
        "", "first", "", "second",
    ]
    assert "hidden" not in text and "color" not in text and "Site name" not in text


def test_html_file_is_reduced_to_its_text(tmp_path):
    path = write(tmp_path, "release.html", "<body><p>Plant&nbsp;opens   in\n Peru.</p></body>")
    source = read_source(str(path))
    assert source.from_html and source.text == "Plant opens in Peru."


def test_page_with_no_text_is_an_error():
    source = source_from_bytes("p", "p.html", b"<html><body><script>x()</script></body></html>", html=True)
    assert source.error == "web page holds no text"


def test_stdin_page_is_recognised_by_its_start():
    assert looks_like_html("  <!DOCTYPE html><html><p>x</p>")
    assert looks_like_html("<!-- saved --><HTML lang=en>")
    assert not looks_like_html("Acme <b>uses</b> tags but is not a page")
    source = read_source("-", stdin=io.BytesIO(b"<!doctype html><p>Plant in Chile.</p>"))
    assert source.from_html and source.text == "Plant in Chile."


def test_normalize_whitespace():
    assert normalize_whitespace("  a \t b \n\n\n\n c\u00a0d  \n") == "a b\n\nc d"


def test_walk_and_glob_enter_each_folder_once_across_link_loops(tmp_path):
    from extractor.batch.inputs import expand_paths

    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.txt", "a/b/y.txt", "a/b/z.html"):
        (tmp_path / name).write_text("Acme plant.", encoding="utf-8")
    (tmp_path / "a" / "self").symlink_to(".")
    (tmp_path / "a" / "b" / "up").symlink_to("..")
    (tmp_path / "a" / "b" / "top").symlink_to(tmp_path / "a")
    base = str(tmp_path / "a")
    assert list(expand_paths([base])) == [f"{base}/b/y.txt", f"{base}/b/z.html", f"{base}/x.txt"]
    assert list(expand_paths([f"{base}/**/*.txt"])) == [f"{base}/b/y.txt", f"{base}/x.txt"]
    assert list(expand_paths([f"{base}/**/b/*.html"])) == [f"{base}/b/z.html"]


def test_glob_matches_component_by_component():
    from extractor.batch.inputs import glob_matches

    assert glob_matches(("a", "b", "x.txt"), ("**", "*.txt"))
    assert glob_matches(("x.txt",), ("**", "*.txt"))
    assert glob_matches(("a", "b", "x.txt"), ("a", "**", "x.txt"))
    assert not glob_matches(("a", "x.txt"), ("*.txt",))
    assert not glob_matches(("a", "x.txt"), ("b", "**"))
    assert glob_matches(("a",) * 30 + ("x.txt",), ("**", "a", "**", "a", "**", "*.txt"))


def test_a_name_that_is_not_utf8_is_shown_with_escapes(tmp_path):
    import os

    from extractor.batch.inputs import printable_path

    raw = os.path.join(os.fsencode(tmp_path), b"bad\xff.txt")
    with open(raw, "wb") as handle:
        handle.write(b"Acme will build a plant.")
    source = read_source(os.fsdecode(raw))
    assert source.ok and source.path == str(tmp_path / "bad\\xff.txt") and source.doc_id == "bad\\xff"
    source.path.encode("utf-8")
    assert printable_path("plain/ok.txt") == "plain/ok.txt"


def test_17_9_hostile_markup_is_stripped_in_one_pass():
    """100,000 nested or flat elements: BeautifulSoup's tree edits took minutes (quadratic)."""
    flat = "<html><body>" + "<p>Acme builds a plant.</p>" * 20_000 + "</body></html>"
    assert html_to_text(flat).split("\n\n") == ["Acme builds a plant."] * 20_000
    deep = "<html><body>" + "<div>" * 100_000 + "Acme plant" + "</div>" * 100_000 + "<p>After.</p></body></html>"
    assert isinstance(html_to_text(deep), str)  # past libxml2's depth limit markup is not nested further
    unclosed = "<p>" + "<b>x " * 50_000
    assert html_to_text(unclosed).startswith("x x")


def test_html_text_after_hidden_elements_and_comments_stays():
    assert html_to_text("<p>a<script>x</script>b <!-- c --> d</p>") == "ab d"
    assert html_to_text("<svg><text>no</text></svg>tail here") == "tail here"
    assert html_to_text("<pre>line1\n  line2</pre><p>x\ny</p>") == "line1\nline2\n\nx y"
    assert html_to_text("<head><title>Only  a title</title>") == "Only a title"
    assert html_to_text("") == "" and html_to_text("&lt;b&gt; &amp;") == "<b> &"
