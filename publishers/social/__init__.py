"""The social channels behind one interface (X, Facebook, Instagram): capabilities, receipts,
error classification, transport with base URLs and redaction, the registry."""
