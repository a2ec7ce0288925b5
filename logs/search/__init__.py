"""Search: the query language and Korean particles (`query`, pure), the results page by page
(`results`, over Postgres full-text search)."""
