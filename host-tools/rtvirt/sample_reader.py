"""Host end of the ivshmem sample rings: every sample, checked, as numpy arrays.

The reading and its hostile-peer checks are the agent package's (rtvirt_agent.ivshmem.reader,
shared with the root cell's inmate link); this module gives the slots a numpy view.
"""

import numpy as np
from rtvirt_agent.ivshmem import reader

SAMPLE_DTYPE = np.dtype([("seq", "<u8"), ("time_ns", "<u8"), ("latency_ns", "<u4"),
                         ("cpu", "<u4")])
assert SAMPLE_DTYPE.itemsize == reader.SAMPLE.size


class SampleReader(reader.SampleReader):
    """``poll()`` returns a structured array (SAMPLE_DTYPE) of the samples that arrived."""

    def poll(self):
        return np.frombuffer(super().poll(), SAMPLE_DTYPE)
