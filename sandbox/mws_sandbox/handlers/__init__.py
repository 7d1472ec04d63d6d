"""Operation handlers: read parameters, call the models, render a response. Each is short."""
