"""A local stand-in for the X API v2 and Graph API subset the publishers use.

It answers with the platforms' real response and error shapes, keeps what was posted (in memory,
optionally in a JSON file), grows engagement over (simulated) time, meters what the same calls
would cost on X, and injects faults on demand through `/_sim/*` admin endpoints. Run it with
`siaran simulator` (see `server.run`).
"""
