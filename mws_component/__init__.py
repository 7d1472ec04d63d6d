"""The ``mws-component`` command line: demo, verify, run, exec, sandbox, feed, sailor, serve.

The installed package *is* the component: ``component.json``, ``lib/`` (triggers, actions, the MWS
client), ``schemas/`` and ``verifyCredentials.py`` sit in this directory (in the repository they are
links to the root, where the product's layout keeps them), so every command finds the component
from any working directory after a plain ``pip install``.
"""

from pathlib import Path

COMPONENT_ROOT = Path(__file__).parent
