"""Files to a validated, frozen plan: walk, front matter, fields, documents, checks."""
