"""The codemods themselves, one per module, and the registry that orders them."""
