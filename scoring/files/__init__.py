from scoring.files.views import bp

__all__ = ["bp"]
