"""Read builders: what a page shows, as the context its template needs, for a viewer. Views
parse the request, call a builder and render; builders hold the queries."""
