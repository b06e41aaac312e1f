"""No models of its own: django-allauth keeps the second factors (allauth.mfa)."""
