from scoring.public.views import bp

__all__ = ["bp"]
