"""The render backend: a project's timeline to one H.264 + AAC file with ffmpeg."""
