"""After approval: the worker's claims and outcomes, target status moves, holds, preparation,
operations (pause, retry), takedowns and engagement readings."""
