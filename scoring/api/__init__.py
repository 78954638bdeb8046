from scoring.api.views import bp

__all__ = ["bp"]
