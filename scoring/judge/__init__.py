from scoring.judge.views import bp

__all__ = ["bp"]
