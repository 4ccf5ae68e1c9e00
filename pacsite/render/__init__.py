"""Pages to HTML: the Jinja theme, formatting of money and dates, Markdown."""
