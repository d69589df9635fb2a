"""Citations compared with documents and pages: each comparison yields findings."""
