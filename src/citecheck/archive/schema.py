"""The index tables (docs/archive-format.md), created and evolved by sqlite-utils migrations."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

MIGRATIONS = Migrations("citecheck-archive")
FTS_TOKENIZE = "unicode61 remove_diacritics 2"  # reports cite sources in many languages

TABLES: dict[str, dict[str, type]] = {
    "documents": {"document_id": str, "name": str, "format": str, "sha256": str},
    "runs": {"run_id": str, "command": str, "document_id": str, "started": str,
             "finished": str, "settings": str, "counts": str, "software": str},
    "citations": {"run_id": str, "citation_id": str, "document_id": str, "kind": str,
                  "note_text": str, "title": str, "publisher": str, "date": str,
                  "date_precision": str, "accessed": str, "url": str, "link_status": str,
                  "final_url": str, "http_status": int, "reason": str, "content_type": str,
                  "checked_at": str, "capture_record_id": str, "capture_warc": str,
                  "capture_offset": int, "capture_length": int, "capture_timestamp": str,
                  "context": str, "line": int, "same_as": str, "confidence": float,
                  "result": str},
    "hops": {"run_id": str, "citation_id": str, "position": int, "url": str, "status": int,
             "kind": str, "location": str, "elapsed_ms": int, "ip": str},
    "captures": {"record_id": str, "url": str, "timestamp": str, "http_status": int,
                 "mime": str, "payload_digest": str, "warc": str, "offset": int, "length": int,
                 "revisit_of": str, "truncated": str, "run_id": str},
    "findings": {"id": int, "run_id": str, "citation_id": str, "code": str, "severity": str,
                 "message": str, "evidence": str},
    "pages": {"run_id": str, "url": str, "citation_id": str, "title": str, "title_source": str,
              "published": str, "modified": str, "site_name": str, "author": str, "lang": str,
              "canonical_url": str, "content_type": str, "text": str},
    "checks": {"id": int, "url": str, "at": str, "ok": int, "status": str, "reason": str},
}

PRIMARY_KEYS: dict[str, str | tuple[str, ...]] = {
    "documents": "document_id",
    "runs": "run_id",
    "citations": ("run_id", "citation_id"),
    "hops": ("run_id", "citation_id", "position"),
    "captures": "record_id",
    "findings": "id",
    "pages": ("run_id", "url"),
    "checks": "id",
}

FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "runs": [("document_id", "documents", "document_id")],
    "citations": [("run_id", "runs", "run_id")],
    "hops": [("run_id", "runs", "run_id")],
    "findings": [("run_id", "runs", "run_id")],
    "pages": [("run_id", "runs", "run_id")],
}

INDEXES: list[tuple[str, list[str]]] = [
    ("captures", ["url", "timestamp"]),
    ("captures", ["payload_digest"]),
    ("citations", ["url"]),
    ("citations", ["final_url"]),
    ("findings", ["run_id", "citation_id"]),
    ("checks", ["url", "at"]),
]


@MIGRATIONS()
def m001_tables(db: Database) -> None:
    """The first layout: every table, its keys and indexes, full-text search on pages."""
    for name, columns in TABLES.items():
        db[name].create(columns, pk=PRIMARY_KEYS[name],
                        foreign_keys=FOREIGN_KEYS.get(name, []))
    for table, columns in INDEXES:
        db[table].create_index(columns)
    db["pages"].enable_fts(["title", "text"], create_triggers=True, tokenize=FTS_TOKENIZE)
