"""The app's pages, one module per kind; each exports ``routes`` for app.py's table."""
