"""Reports built once as data (``document``) and drawn as JSON, Excel workbooks and PDF.

The monthly statistics report, the fund position, the early warnings, the month's ledger
and the day close; ``clinic-pos report`` makes any of them from the command line.
"""
