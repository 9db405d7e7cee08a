"""One module per ``rtvirt`` subcommand; see ``rtvirt.cli`` for the interface each provides."""
