"""Seller reports read as streams: the merchant listings report behind listProducts."""
