"""Renderers: one module per output format, each reading only the prepared document.

A renderer turns a ``prepared.PreparedDocument`` into a file format and
nothing else: it never parses Markdown, typesets, numbers or looks up a label
(``prepare`` did all that once). Each is imported only when a build needs it,
so a build with nothing to do imports none.

| module | output |
| --- | --- |
| ``pdf`` | the worksheet and the answer key (Jinja2 + WeasyPrint) |
| ``pptx`` | the slide deck (python-pptx) |
| ``html`` | inline nodes as safe HTML, for the PDF's templates (and any later HTML output) |
"""
