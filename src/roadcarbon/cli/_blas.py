"""Single-threaded BLAS for the command line, set before numpy is imported.

The engine never calls BLAS (element-wise numpy only), yet OpenBLAS starts one thread per core at import;
one thread makes each short command faster (issue 16 measured about 15 %). Imported first by
:mod:`roadcarbon.cli`; values the user set in the environment are kept.
"""

from __future__ import annotations

import os

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")

for _name in BLAS_THREAD_VARIABLES:
    os.environ.setdefault(_name, "1")
