"""One RunResult rendered many ways: text, JSON, Markdown, HTML, JUnit, GitHub."""
