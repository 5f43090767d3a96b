"""The invasion campaign's parts, one concern per module (the process itself is
``sim.model.processes.invasion_campaign``, which plays the turn in order and scores it).

- ``params``: the scenario's campaign parameters, read and checked once per scenario, with the
  per-turn constants derived from them.
- ``fleet``: the PLA's amphibious fleet and escorts under fire: salvos and submarines (steps 1-2),
  and the fleet that carries the turn's lift.
- ``ashore``: the lodgment: lift and supply, the fight for ground, ports (steps 3-5).
- ``allies``: who holds the air (step 0); the allied groups and aircraft on both sides, the
  PLA's salvo at the allies, losses in the air, withdrawal (step 6).
- ``columns``: the campaign's output columns and its row.

Why split: one 650-line module mixed five kinds of state and arithmetic, too long to read in one
sitting. Each module owns its state and says what it rests on; the arithmetic remains
``sim.model.combat``'s pure functions, written out inline in the per-turn steps (the hot loop)
and checked against them by tests/test_invasion_fused.py.
"""
