"""The pages of the site: routes, typed views, charts, tables, every URL."""
