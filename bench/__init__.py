"""Benchmarks (issue 8): how close we run to Amazon's quotas, what feeds and the sailor cost.

``python bench/run.py --json`` runs them all and prints one JSON object; each module here is one
benchmark (``orders``, ``items``, ``peer``, ``feeds``, ``sailor``) or one shared piece: ``world``
(a seeded sandbox on loopback HTTP in simulated time), ``timeline`` (what the sandbox answered,
when), ``quota`` (efficiency against the quota ceiling), ``targets`` and ``plot``.
"""
