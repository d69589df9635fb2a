"""WARC writing and reading (warcio), the index (sqlite-utils), rebuild and repair."""
