"""Every form of the app that is not the admin's: entries, sessions and comments, import, search."""
