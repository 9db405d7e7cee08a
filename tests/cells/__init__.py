"""Jailhouse cell parser, checker and the rtvirt cells."""
