"""The one signed Amazon MWS client every trigger and action uses."""
