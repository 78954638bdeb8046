"""Pure scoring core: numpy and scipy only, no Flask, no database.

Matrices are entries (rows) × judges (columns) of floats, NaN where a judge did not score.

* ``normalise``: calibrate judges (raw, zscore, rank, additive) and aggregate per entry.
* ``ranking``: weighted totals, stage combination, ranks with tie-breaks, award tiers.
* ``agreement``: ICC, Kendall's W, Krippendorff's alpha; ``flags``: judge flags.
* ``sensitivity``: does the result depend on the calibration method?
* ``errors``: the exceptions raised here (all subclasses of ``CoreError``, a ``ValueError``).

Import from the submodules (``from scoring.core.normalise import normalise``).
"""
