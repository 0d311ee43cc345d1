"""Staff sign-in: passwords with lockout, two-factor codes, idle sessions."""
