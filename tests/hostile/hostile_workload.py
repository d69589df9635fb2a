"""Child side of the scaling cases: read documents of growing size, time each one.

`hostile_workload.py '{"fmt": "markdown", "sizes": [2500, 10000]}'` builds a document whose one
note holds `size` distinct URLs (hostile_docs.many_urls, or a .docx whose note links them),
reads it, parses its notes and runs the offline checks (what `extract` does before it writes
citations.yml), and prints one JSON line: the best of two CPU times per size, the URLs the
note gave, and its own peak resident set (VmHWM). CPU times of the child, not wall time:
other processes on the machine do not stretch them.
"""

import json
import sys
import time

from hostile_child import vm_hwm
from hostile_docs import docx, footnote, many_urls, reference, rels, run
from hostile_net import Airlock


def document(fmt: str, size: int) -> tuple[bytes, str]:
    """The document of one size: its bytes and its file name."""
    if fmt == "docx":
        links = "".join(f'<w:hyperlink r:id="l{n}">{run("x")}</w:hyperlink>' for n in range(size))
        targets = [(f"l{n}", "hyperlink", f"https://example.org/p{n}", True) for n in range(size)]
        return docx(f"<w:p>{run('A claim.')}{reference(1)}</w:p>",
                    footnote(1, run("Many links ") + links), note_rels=rels(*targets)), "a.docx"
    return many_urls(size, fmt).encode(), "a.txt" if fmt == "poi-text" else "a.md"


def stages(data: bytes, name: str) -> tuple[float, int]:
    """CPU seconds to read, parse and check one document; the URLs its first note gave."""
    from citecheck.citations.build import build_citations
    from citecheck.documents import read_document
    from citecheck.verify.offline import offline_findings

    began = time.process_time()
    document = read_document(data, name)
    citations = build_citations(document)
    offline_findings(citations, document)
    return time.process_time() - began, 1 + len(citations[0].urls)


def main() -> None:
    """Time each size twice; print the best times as JSON."""
    Airlock().install()
    job = json.loads(sys.argv[1])
    elapsed, urls = {}, {}
    for size in job["sizes"]:
        data, name = document(job["fmt"], size)
        runs = [stages(data, name) for _ in range(2)]
        elapsed[size], urls[size] = min(cpu for cpu, _ in runs), runs[0][1]
    print(json.dumps({"elapsed": elapsed, "urls": urls, "peak_rss": vm_hwm()}))


if __name__ == "__main__":
    main()
