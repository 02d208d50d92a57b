"""Data shipped with clinic-pos: policy parameter files, translations, style sheets."""
