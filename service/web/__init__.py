"""Server-rendered Vietnamese web pages (Jinja2); English with ``?lang=en``."""
