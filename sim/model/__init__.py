"""The simulation model: a pure function from (scenario, replication seed) to one outcome row.

Nothing here reads files, prints, plots or knows about batches.
"""
