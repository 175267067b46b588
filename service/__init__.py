"""service: CLI, REST API and web dashboard — thin doors over the library packages."""
