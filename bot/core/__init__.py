"""The pure core: models, nations, report parsing, queries, scenarios and diffs.

Nothing in this package performs I/O or imports Discord, a database or the network. Callers pass
data (report text, snapshots, reference tables) in and get plain values back, so every transport
(console, Discord, webhooks) and every test builds on the same behaviour.
"""
