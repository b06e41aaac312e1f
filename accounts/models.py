"""No models of its own: django-allauth keeps the second factors (allauth.mfa) and the
recorded logins (allauth.usersessions)."""
