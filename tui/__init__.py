"""The Textual editor (issue 5): talks to the application layer only."""
