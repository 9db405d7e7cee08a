"""rtvirt benchmarks: each module here with a ``run()`` returning a dict writes one JSON file."""
