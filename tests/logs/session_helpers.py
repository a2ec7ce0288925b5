"""What the tests of a team's session share."""

# Who may write, edit, delete or answer in a team's session, and what the others get: its
# learners and its mentors may; the rest of the cohort is refused (403); people outside the
# cohort are not told it exists (404).
TEAM_SESSION_ACCESS = [
    ("learner", 200),
    ("teammate", 200),
    ("mentor", 200),
    ("other_learner", 403),
    ("other_mentor", 403),
    ("operator", 403),
    ("foreign_operator", 404),
    ("outsider", 404),
]
