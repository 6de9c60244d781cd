"""The archive's output documents (catalogues, stamps, forms) as bytes."""
