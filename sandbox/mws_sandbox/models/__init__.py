"""The sandbox's state and business rules: no HTTP, no XML, only data and what may happen to it."""
