"""People who sign in: users, their personal tokens, browser sessions and sign-in attempts."""
