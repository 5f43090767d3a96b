"""One self-contained HTML page of a run folder: figures embedded, no network fetches."""
