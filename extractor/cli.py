"""The `extractor` command: batch extraction, the JSON Schema, (later) the review page."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from . import extract
from .models import ProjectRecord

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def schema_json() -> str:
    """The JSON Schema of ProjectRecord, as committed in `schemas/`."""
    return json.dumps(ProjectRecord.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def input_files(paths: List[str]) -> Iterator[Path]:
    """Each file named, and every `*.txt` under each folder named, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


@app.command("extract")
def extract_command(
    paths: List[str] = typer.Argument(..., help="files, folders (their *.txt) or - for stdin"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="JSONL file (default: stdout)"),
) -> None:
    """Extract one project record per document, as JSON Lines."""
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    failed = 0
    try:
        for path in input_files(paths):
            if str(path) == "-":
                text, doc_id = sys.stdin.read(), "stdin"
            else:
                try:
                    text, doc_id = path.read_text(encoding="utf-8"), path.stem
                except (OSError, UnicodeDecodeError) as exc:
                    failed += 1
                    out.write(json.dumps({"doc_id": path.stem, "path": str(path), "error": str(exc)}) + "\n")
                    continue
            out.write(json.dumps(extract(text, doc_id=doc_id).model_dump(mode="json"), ensure_ascii=False) + "\n")
    finally:
        if output:
            out.close()
    raise typer.Exit(1 if failed else 0)


@app.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of ProjectRecord."""
    sys.stdout.write(schema_json())
