"""lessonkit in the browser: ``lessonkit serve`` (see server.py), built on Starlette (see app.py).

The app is a thin shell over the package, as make_docs.py is: it reads the same sources, checks them
with the same loader, builds with the same engine and previews with lessonkit.preview. Its pages are
Jinja templates in templates/, its scripts and styles in static/ (the code editor is a CodeMirror
bundle built from web-src/, see the README); nothing is fetched from the network.
"""
