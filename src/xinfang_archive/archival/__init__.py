"""Filing (归档立案), retention, disposition and fixity of the archive's records."""
