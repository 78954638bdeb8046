"""Regional operators (kabupaten/kota): register their own region's entries, phone first."""

from scoring.regional.views import bp

__all__ = ["bp"]
