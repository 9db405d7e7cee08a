"""Python helpers of the meta-rtvirt layer (made importable by ``addpylib`` in layer.conf)."""
