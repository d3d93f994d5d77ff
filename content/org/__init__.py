"""Who and what the office has: people and their roles and rights, OPDs, social accounts,
videotron screens, and their administration."""
