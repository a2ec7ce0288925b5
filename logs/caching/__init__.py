"""The page cache: versioned names (`versions`), pages built from cached fragments
(`fragments`), and the one place that maps writes to the names they invalidate
(`invalidation`)."""
