"""Entry point of ``mws-component``: one table of subcommands, each in its own module.

A subcommand module defines ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Only the chosen module is imported, so ``mws-component verify`` does not load the sailor or the sandbox.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from mws_component import COMPONENT_ROOT

COMMANDS = {
    "demo": "mws_component.commands.demo",
    "verify": "mws_component.commands.verify",
    "run": "mws_component.commands.run",
    "exec": "mws_component.commands.exec_",
    "sandbox": "mws_component.commands.sandbox",
    "feed": "mws_component.commands.feed",
    "sailor": "mws_component.commands.sailor",
    "serve": "mws_component.commands.serve",
    "platform": "mws_component.commands.platform",
}

USAGE = """usage: mws-component COMMAND [options]

commands:
  demo      try the connector end to end against the embedded MWS sandbox (no Amazon account)
  verify    check credentials the way the platform does on connect
  run       run one trigger or action locally, like the platform would
  exec      call getMetaModel or a select model of a step (service mode, locally)
  sandbox   serve the MWS sandbox on 127.0.0.1
  feed      build and validate a feed (XML) from JSON items without sending it
  sailor    run a step on the platform's message bus (RabbitMQ)
  serve     service mode: verifyCredentials | getMetaModel | selectModel
  platform  stand in for the platform around one step, to try the sailor on a local RabbitMQ

'mws-component COMMAND --help' describes a command's options.
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"mws-component: unknown command {name!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(COMMANDS[name])
    except ModuleNotFoundError as exc:
        if exc.name != "mws_sandbox":
            raise
        print(f"mws-component {name} needs the MWS sandbox, a development distribution the component does "
              "not ship with: pip install ./sandbox (from the repository) or pip install "
              "'mws-component[sandbox]'", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog=f"mws-component {name}", description=module.HELP)
    module.add_arguments(parser)
    parser.set_defaults(installed_component=COMPONENT_ROOT)  # eiosdk.cli.INSTALLED_COMPONENT
    args = parser.parse_args(rest)
    try:
        return int(module.run(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
