"""Cost benchmarks of the k8s-service requirer: time, hook-tool calls and state, against N.

``python -m benchmarks [--quick | --full]`` runs the pytest-benchmark suite in this package over
preloaded models (one requirer related to N provider applications of M units each) and writes one
row per case into ``reports/costs.json``; ``python -m reporting`` renders the report from it.
"""
