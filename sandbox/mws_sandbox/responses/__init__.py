"""The wire format: MWS XML responses in schema element order and each section's namespace.

Built with ElementTree's tree API (never string formatting), so text is always escaped.
"""
