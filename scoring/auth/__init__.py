from scoring.auth.decorators import home_url_for, role_required
from scoring.auth.views import bp

__all__ = ["bp", "home_url_for", "role_required"]
