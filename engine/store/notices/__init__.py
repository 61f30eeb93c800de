"""What people are told: the in-app inbox, the mail outbox, and the reminders already sent."""
