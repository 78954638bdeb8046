from scoring.ops.views import bp

__all__ = ["bp"]
