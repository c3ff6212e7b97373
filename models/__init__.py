"""Generation backends behind the application's ports (issue 3); imported only by workers."""
