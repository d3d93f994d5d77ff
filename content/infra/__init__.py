"""Infrastructure: settings, the database and its migrations, the media store, secrets,
passwords, time, errors, first-run setup and demo data."""
