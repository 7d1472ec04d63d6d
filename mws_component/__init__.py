"""The ``mws-component`` command line: demo, verify, run, exec, sandbox, feed, sailor, serve."""
