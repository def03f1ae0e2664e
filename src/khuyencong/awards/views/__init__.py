"""Pages of the selection, one module per concern. Thin: reads through the selectors (404
outside the scope), writes through the services (403 with the policy's reason)."""
